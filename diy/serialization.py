"""Save and load models as one ``.npz``: the parameters by name, plus the architecture as JSON.

The file holds one array per parameter, keyed by its dotted name (``"encoder.0.W"``),
and ``__architecture__``: a JSON text describing how to rebuild the model::

    {"format": "diy", "version": 1, "dtype": "float32", "training": false,
     "model": {"type": "AutoEncoder", "config": {}, "children": [
         ["encoder", {"type": "Sequential", "config": {}, "children": [...]}],
         ["decoder", ...]]}}

A module is described by its class name, its ``get_config()`` and its named
children; a config value that is a module of the same model (``TiedLinear``'s
``source``) is written ``{"$module": "encoder.0"}``, its dotted path. An
``MLPClassifier`` is described by its config and its network, and its ``classes_``
is stored as ``__classes__``.

Loading never unpickles nor evaluates anything: classes come from ``Module.registry`` (every
Module subclass registers itself by its class name when it is defined),
arrays are read with ``allow_pickle=False``, and every name, shape and dtype must
match what the architecture rebuilds. Any mismatch raises ``ModelFileError``,
naming the file and the offending key.
"""
import json
import zipfile

import numpy as np

from .atomic import atomic_path
from .classifier import MLPClassifier
from .linear import Linear
from .module import Module
from .sequential import Sequential

FORMAT, VERSION = "diy", 1
ARCHITECTURE, CLASSES = "__architecture__", "__classes__"


class ModelFileError(ValueError):
    """A model file that cannot be read, or does not match the architecture it declares."""


def save(model, path):
    """Write ``model`` (a Module or a fitted MLPClassifier) to ``path`` as one .npz, atomically."""
    if isinstance(model, MLPClassifier):
        if not hasattr(model, "net_"):
            raise ValueError("save: the MLPClassifier is not fitted")
        net = model.net_
        description = {"type": "MLPClassifier", "config": model.get_config(), "net": _describe(net)}
        classes = np.asarray(model.classes_.tolist())
        if classes.dtype.kind not in "biuU":
            raise ValueError(f"save: classes_ of dtype {classes.dtype} cannot be stored without pickle")
        arrays = {CLASSES: classes}
    elif isinstance(model, Module):
        net, description, arrays = model, _describe(model), {}
    else:
        raise TypeError(f"save: expected a Module or an MLPClassifier, got {type(model).__name__}")

    dtypes = {parameter.dtype.name for _, parameter, _ in net.parameters()}
    if len(dtypes) > 1:
        raise ValueError(f"save: parameters of mixed dtypes {sorted(dtypes)}; cast with astype first")
    architecture = {"format": FORMAT, "version": VERSION, "dtype": dtypes.pop() if dtypes else None,
                    "training": net.training, "model": description}
    arrays[ARCHITECTURE] = np.array(json.dumps(architecture))
    for name, parameter, _ in net.parameters():
        arrays[name] = parameter
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


def load(path):
    """Rebuild the model saved at ``path`` by ``save``; raise ``ModelFileError`` on any mismatch."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: _read(npz, key, path) for key in npz.files}
    except ModelFileError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"{path}: not a readable .npz model file ({error})") from error

    architecture = _read_architecture(arrays.pop(ARCHITECTURE, None), path)
    description = architecture["model"]
    if _field(description, "type", str, path, "model") == "MLPClassifier":
        model = _rebuild_classifier(description, arrays.pop(CLASSES, None), path)
        net = model.net_
    else:
        model = net = _build(description, "", {}, path)

    dtype = architecture["dtype"]
    if dtype is not None:
        net.astype(dtype)
    for name, parameter, _ in net.parameters():
        if name not in arrays:
            raise ModelFileError(f"{path}: missing parameter {name!r} (expected shape {parameter.shape})")
        array = arrays.pop(name)
        if array.shape != parameter.shape:
            raise ModelFileError(f"{path}: parameter {name!r} has shape {array.shape}, "
                                 f"the architecture needs {parameter.shape}")
        if array.dtype != parameter.dtype:
            raise ModelFileError(f"{path}: parameter {name!r} is {array.dtype}, the file declares {dtype}")
        parameter[...] = array
    if arrays:
        raise ModelFileError(f"{path}: unexpected keys {sorted(arrays)} not in the architecture")
    net.train(_field(architecture, "training", bool, path, "architecture"))
    return model


# -- describing ------------------------------------------------------------------
def _describe(root):
    paths = {}

    def walk(module, path):
        paths[id(module)] = path
        for key, child in module._named_children():
            walk(child, f"{path}.{key}" if path else key)

    def describe(module):
        config = {}
        for key, value in module.get_config().items():
            if isinstance(value, Module):
                if id(value) not in paths:
                    raise ValueError(f"save: {type(module).__name__}'s {key!r} is not part of the saved model")
                value = {"$module": paths[id(value)]}
            config[key] = value
        description = {"type": type(module).__name__, "config": config}
        if Module.registry.get(type(module).__name__) is not type(module):
            raise ValueError(f"save: another Module subclass is also named {type(module).__name__!r}, "
                             f"so a file could not say which one to rebuild; rename one of them")
        children = module._named_children()
        if children:
            description["children"] = [[key, describe(child)] for key, child in children]
        return description

    walk(root, "")
    return describe(root)


# -- rebuilding -----------------------------------------------------------------
def _read(npz, key, path):
    try:
        return npz[key]
    except ValueError as error:
        raise ModelFileError(f"{path}: key {key!r} cannot be read without pickle ({error})") from error


def _read_architecture(array, path):
    if array is None:
        raise ModelFileError(f"{path}: no {ARCHITECTURE!r} key; not a diy model file")
    if array.shape != () or array.dtype.kind != "U":
        raise ModelFileError(f"{path}: {ARCHITECTURE!r} is not a JSON text")
    try:
        architecture = json.loads(str(array))
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path}: {ARCHITECTURE!r} is not valid JSON ({error})") from error
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ModelFileError(f"{path}: {ARCHITECTURE!r} is not a diy architecture")
    if architecture.get("version") != VERSION:
        raise ModelFileError(f"{path}: format version {architecture.get('version')!r}, "
                             f"this diy reads version {VERSION}")
    _field(architecture, "model", dict, path, "architecture")
    dtype = architecture.get("dtype")
    if dtype is not None and dtype not in ("float16", "float32", "float64"):
        raise ModelFileError(f"{path}: unsupported dtype {dtype!r} in {ARCHITECTURE!r}")
    return architecture


def _field(mapping, key, kind, path, where):
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise ModelFileError(f"{path}: {where}: {key!r} must be a {kind.__name__}, got {value!r}")
    return value


def _build(description, where, built, path):
    """Construct the module described at dotted path ``where``; ``built`` maps paths to modules."""
    label = where or "the model"
    type_name = _field(description, "type", str, path, label)
    if Module.registry.get(type_name) is None:
        known = sorted(name for name, cls in Module.registry.items() if cls is not None)
        raise ModelFileError(f"{path}: unknown module type {type_name!r} at {label}; known: {known}")
    config = dict(_field(description, "config", dict, path, label))
    for key, value in config.items():
        if isinstance(value, dict) and "$module" in value:
            if value["$module"] not in built:
                raise ModelFileError(f"{path}: {label}: {key!r} refers to {value['$module']!r}, "
                                     f"not a module built before it")
            config[key] = built[value["$module"]]

    names, children = [], []
    for entry in description.get("children", []):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            raise ModelFileError(f"{path}: {label}: malformed child entry {entry!r}")
        names.append(entry[0])
        children.append(_build(entry[1], f"{where}.{entry[0]}" if where else entry[0], built, path))
    try:
        module = Module.registry[type_name](*children, **config)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{path}: cannot rebuild {type_name} at {label} "
                             f"from config {config!r}: {error}") from error
    if [key for key, _ in module._named_children()] != names:
        raise ModelFileError(f"{path}: {label}: children named {names}, "
                             f"a {type_name} has {[key for key, _ in module._named_children()]}")
    built[where] = module
    return module


def _rebuild_classifier(description, classes, path):
    if classes is None:
        raise ModelFileError(f"{path}: missing {CLASSES!r} for an MLPClassifier")
    config = _field(description, "config", dict, path, "MLPClassifier")
    try:
        model = MLPClassifier(**config)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{path}: cannot rebuild MLPClassifier from config {config!r}: {error}") from error
    net = _build(_field(description, "net", dict, path, "MLPClassifier"), "", {}, path)
    if not (isinstance(net, Sequential) and len(net) and isinstance(net[0], Linear)
            and isinstance(net[-1], Linear) and net[-1].d_out == len(classes)):
        raise ModelFileError(f"{path}: the MLPClassifier's net must be a Sequential from a Linear "
                             f"to a Linear with one output per class ({len(classes)})")
    model.net_, model.classes_, model.n_features_in_ = net, classes, net[0].d_in
    return model
