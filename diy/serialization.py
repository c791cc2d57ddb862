"""Save and load models as one ``.npz``: the parameters by name, plus the architecture as JSON.

The file holds one array per parameter, keyed by its dotted name (``"encoder.0.W"``),
and ``__architecture__``: a JSON text describing how to rebuild the model::

    {"format": "diy", "version": 1, "dtype": "float32", "training": false,
     "model": {"type": "AutoEncoder", "config": {}, "children": [
         ["encoder", {"type": "Sequential", "config": {}, "children": [...]}],
         ["decoder", ...]]}}

``"metadata"`` holds what the caller passed to :func:`save` (JSON: e.g. which run made the
model) and ``"digest"`` the SHA-256 of the parameters (:func:`digest`), checked by :func:`load`:
a file whose arrays are not the ones saved with its architecture is refused, and a program
that reads a model beside other files (codes computed from it) can tell they belong together.

A module is described by its class name, its ``get_config()`` and its named
children; a config value that is a module of the same model (``TiedLinear``'s
``source``) is written ``{"$module": "encoder.0"}``, its dotted path. An
``MLPClassifier`` is described by its config and its network, and its ``classes_``
is stored as ``__classes__``.

Loading never unpickles nor evaluates anything: classes come from ``Module.registry`` (every
Module subclass registers itself by its class name when it is defined; :func:`load` first
imports every module of the ``diy`` package, so a layer of ``diy`` is found whatever the
program imported, and a layer of one's own code must be imported before its model is loaded),
arrays are read with ``allow_pickle=False``, and every name, shape and dtype must
match what the architecture rebuilds. Any mismatch raises ``ModelFileError``,
naming the file and the offending key.

A model file may come from anywhere, so nothing it declares is allocated before it is
checked against what the file holds:

1. The zip directory and each member's ``.npy`` header are read first (:func:`npz_headers`):
   each header's shape and dtype must account for its member's size exactly, no array may hold
   objects, and the members may declare at most ``MAX_EXPANSION`` times the file's size (a zip
   bomb declares a thousand times). Reading an array then allocates what the file holds.
2. The architecture may nest modules at most ``MAX_DEPTH`` deep.
3. A module is constructed only if the product of the numbers in its config (each counted as
   at least 1) is at most the number of parameter values the file stores, or ``MIN_BUDGET``
   if that is larger. A layer's parameters are products of the sizes it declares (Linear's
   ``d_in * d_out`` and ``d_out``, Conv2D's ``k_h * k_w * chan_in * chan_out``, ClusteringLayer's
   ``n_clusters * latent_dim``), so this bounds what its constructor allocates without knowing
   its class: a declared ``d_in = 5_000_000`` is refused before anything is allocated. Strides
   and paddings only enlarge the product, so the estimate errs towards refusing; ``MIN_BUDGET``
   (a few MB) keeps small modules with sizes but no parameters (Reshape, pooling) loadable
   whatever the file holds. A layer allocating more than its sizes' product (a square matrix
   from one size) would get past this estimate, but not past the next check. Nor may a config
   set ``dtype``: the file declares one for every parameter, applied once all are built, and a
   constructor handed ``dtype="U25000000"`` allocates 100 MB per element.
4. As each module is built, each of its parameters must be a stored array of the same name
   and shape, so the model never holds more values than the file stores.
5. Only then are the arrays read, one at a time; each must be finite.
"""
import hashlib
import importlib
import json
import math
import os
import pkgutil
import zipfile
import zlib

import numpy as np

from .atomic import atomic_path
from .classifier import MLPClassifier
from .linear import Linear
from .module import Module
from .sequential import Sequential

FORMAT, VERSION = "diy", 1
ARCHITECTURE, CLASSES = "__architecture__", "__classes__"
#: Deepest nesting of modules a file may declare (the study's autoencoders are 3 deep).
MAX_DEPTH = 64
#: Most bytes the arrays of a .npz may declare per byte of the file: trained weights barely
#: compress, while deflated zeros (a zip bomb) declare a thousand times their size.
MAX_EXPANSION = 100
#: Product of config sizes a module may declare even if the file stores fewer values: 2**20
#: float32 values (and their gradients) cost a few MB, and Reshape or pooling sizes fit in it.
MIN_BUDGET = 2 ** 20
_HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}


class ModelFileError(ValueError):
    """A model file that cannot be read, or does not match the architecture it declares."""


def save(model, path, metadata=None):
    """Write ``model`` (a Module or a fitted MLPClassifier) to ``path`` as one .npz, atomically,
    with ``metadata`` (a dict of JSON values, or None) and the parameters' :func:`digest`."""
    if metadata is not None and not isinstance(metadata, dict):
        raise TypeError(f"save: metadata must be a dict or None, got {type(metadata).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save: path must be a file path (str or os.PathLike), got {path!r}")
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
                    "training": net.training, "model": description, "metadata": metadata,
                    "digest": digest(model)}
    arrays[ARCHITECTURE] = np.array(json.dumps(architecture))
    for name, parameter, _ in net.parameters():
        arrays[name] = parameter
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


def load(path):
    """Rebuild the model saved at ``path`` by ``save``; raise ``ModelFileError`` on any mismatch.

    Every size the file declares is checked against what it holds before it is allocated
    (see the module docstring).
    """
    import_layers()
    try:
        stored = npz_headers(path)
        with zipfile.ZipFile(path) as archive:
            return _load(archive, stored, path)
    except ModelFileError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as error:
        raise ModelFileError(f"{path}: not a readable .npz model file ({error})") from error


def digest(model):
    """SHA-256 (hex) of a model's parameters (a Module's, or a fitted MLPClassifier's network's):
    their names, dtypes, shapes and bytes, in ``parameters()`` order."""
    if isinstance(model, MLPClassifier) and not hasattr(model, "net_"):
        raise ValueError("digest: the MLPClassifier is not fitted")
    net = model.net_ if isinstance(model, MLPClassifier) else model
    if not isinstance(net, Module):
        raise TypeError(f"digest: model must be a Module or a fitted MLPClassifier, got {type(model).__name__}")
    sha = hashlib.sha256()
    for name, parameter, _ in net.parameters():
        sha.update(f"{name}:{parameter.dtype.str}:{parameter.shape};".encode())
        sha.update(np.ascontiguousarray(parameter).tobytes())
    return sha.hexdigest()


def read_metadata(path):
    """``(metadata, digest)`` recorded in the model file at ``path`` by :func:`save` (None for
    either that the file does not record), reading only its architecture; raise ``ModelFileError``
    if that cannot be read. :func:`load` checks the digest against the arrays."""
    try:
        stored = npz_headers(path)
        with zipfile.ZipFile(path) as archive:
            text = _read(archive, ARCHITECTURE) if ARCHITECTURE in stored else None
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, zlib.error) as error:
        raise ModelFileError(f"{path}: not a readable .npz model file ({error})") from error
    architecture = _read_architecture(text, path)
    return architecture.get("metadata"), architecture.get("digest")


def import_layers():
    """Import every module of the ``diy`` package, registering every layer it defines: a file
    that ``diy/__init__.py`` does not import still has its layers loadable by name. The names
    imported are this package's own files, never a name read from a model file."""
    package = importlib.import_module(__package__)
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        importlib.import_module(module.name)


def npz_headers(path):
    """Shape and dtype of every array of the .npz at ``path``, read from the headers alone.

    Returns
    -------
    dict of str -> (tuple of int, numpy dtype), keyed by the array's name.

    Raises
    ------
    ValueError
        Naming the key, unless every member is a ``.npy`` array without Python objects whose
        header accounts for its size exactly, and the members declare at most ``MAX_EXPANSION``
        times the file's size; reading the arrays then allocates no more than that.
    OSError, zipfile.BadZipFile, zlib.error
        For a file that is no zip archive, or one whose headers do not decompress.
    """
    size = os.path.getsize(path)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > MAX_EXPANSION * size:
            raise ValueError(f"its arrays declare {declared} bytes, {declared // size} times the "
                             f"file's {size}: a zip bomb or a corrupt file")
        headers = {}
        for member in members:
            key = member.filename.removesuffix(".npy")
            if key == member.filename:
                raise ValueError(f"member {key!r} is not a .npy array")
            with archive.open(member) as f:
                version = np.lib.format.read_magic(f)
                if version not in _HEADER_READERS:
                    raise ValueError(f"key {key!r} is in .npy format version {version}, not 1.0 or 2.0")
                shape, _, dtype = _HEADER_READERS[version](f)
                expected = f.tell() + math.prod(shape) * dtype.itemsize
            if dtype.hasobject:
                raise ValueError(f"key {key!r} cannot be read without pickle (it holds Python objects)")
            if member.file_size != expected:
                raise ValueError(f"key {key!r} declares shape {shape} of {dtype}, {expected} bytes with "
                                 f"its header, but holds {member.file_size}")
            headers[key] = shape, dtype
    return headers


def _load(archive, stored, path):
    """The model in an open archive whose arrays' headers are ``stored`` (from npz_headers)."""
    text = _read(archive, ARCHITECTURE) if ARCHITECTURE in stored else None
    architecture = _read_architecture(text, path)
    builder = _Builder(stored, path)
    unread = set(stored) - {ARCHITECTURE}
    description = architecture["model"]
    if _field(description, "type", str, path, "model") == "MLPClassifier":
        if CLASSES not in stored:
            raise ModelFileError(f"{path}: missing {CLASSES!r} for an MLPClassifier")
        classes = _read(archive, CLASSES)
        model = _rebuild_classifier(description, classes, architecture["dtype"], builder, path)
        unread.discard(CLASSES)
        net = model.net_
    else:
        model = net = builder.build(description)

    dtype = architecture["dtype"]
    if dtype is not None:
        net.astype(dtype)
    # Names and shapes were checked as the modules were built (_Builder._check_parameters).
    for name, parameter, _ in net.parameters():
        stored_dtype = stored[name][1]
        if stored_dtype != parameter.dtype:
            raise ModelFileError(f"{path}: parameter {name!r} is {stored_dtype}, the file declares {dtype}")
        array = _read(archive, name)
        bad = array.size - np.count_nonzero(np.isfinite(array))
        if bad:
            raise ModelFileError(f"{path}: parameter {name!r} holds non-finite values ({bad} NaN or "
                                 f"inf); the model had diverged when it was saved: retrain it")
        parameter[...] = array
        unread.discard(name)
    if unread:
        raise ModelFileError(f"{path}: unexpected keys {sorted(unread)} not in the architecture")
    recorded = architecture.get("digest")
    if recorded is not None and recorded != digest(model):
        raise ModelFileError(f"{path}: the parameters are not the ones saved with its architecture "
                             f"(their digest differs from the one recorded): a damaged or altered "
                             f"file; re-run the job that makes it")
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
def _read(archive, key):
    """The array ``key`` of an archive whose headers npz_headers has checked."""
    with archive.open(f"{key}.npy") as f:
        return np.lib.format.read_array(f, allow_pickle=False)


def _read_architecture(array, path):
    if array is None:
        raise ModelFileError(f"{path}: no {ARCHITECTURE!r} key; not a diy model file")
    if array.shape != () or array.dtype.kind != "U":
        raise ModelFileError(f"{path}: {ARCHITECTURE!r} is not a JSON text")
    try:
        architecture = json.loads(str(array))
    except RecursionError:
        raise ModelFileError(f"{path}: {ARCHITECTURE!r} is nested too deeply to parse; "
                             f"a model nests modules at most {MAX_DEPTH} deep") from None
    except ValueError as error:
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


def _declared_size(config, limit):
    """Product of the numbers anywhere in ``config``, each counted as at least 1; stops past ``limit``.

    Walked with a stack, not recursion: a config may nest lists as deep as JSON allows.
    """
    size, todo = 1, [config]
    while todo and size <= limit:
        value = todo.pop()
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, (int, float)):
            size *= max(1, abs(value))
    return size


class _Builder:
    """Constructs the modules a file describes, within the parameter values it stores.

    ``stored`` maps each array's name to its ``(shape, dtype)`` (from npz_headers); ``built``
    maps the dotted paths of the modules built so far to them, for ``{"$module": path}``.
    """

    def __init__(self, stored, path):
        self.stored, self.path, self.built = stored, path, {}
        self.values = sum(math.prod(shape) for key, (shape, _) in stored.items()
                          if key not in (ARCHITECTURE, CLASSES))
        # ids of the parameters checked: an array shared by two modules is stored once, as
        # parameters() yields it once, so it is looked for at the first module holding it.
        self.checked = set()

    def build(self, description, where="", depth=0):
        """Construct the module described at dotted path ``where``, ``depth`` modules deep."""
        path, label = self.path, where or "the model"
        if depth > MAX_DEPTH:
            raise ModelFileError(f"{path}: modules nested more than {MAX_DEPTH} deep at {label}; "
                                 f"not a model diy saved")
        type_name = _field(description, "type", str, path, label)
        if Module.registry.get(type_name) is None:
            known = sorted(name for name, cls in Module.registry.items() if cls is not None)
            raise ModelFileError(f"{path}: unknown module type {type_name!r} at {label}; known: {known}")
        config = dict(_field(description, "config", dict, path, label))
        if "dtype" in config:
            raise ModelFileError(f"{path}: {label}: a config may not set 'dtype'; the file declares "
                                 f"one for every parameter (the 'dtype' of {ARCHITECTURE!r})")
        budget = max(self.values, MIN_BUDGET)
        if _declared_size(config, budget) > budget:
            raise ModelFileError(f"{path}: {type_name} at {label} declares sizes {config} whose product "
                                 f"exceeds the {self.values} parameter values the file stores; refused "
                                 f"before allocating them (a corrupt or tampered file)")
        for key, value in config.items():
            if isinstance(value, dict) and "$module" in value:
                if not isinstance(value["$module"], str) or value["$module"] not in self.built:
                    raise ModelFileError(f"{path}: {label}: {key!r} refers to {value['$module']!r}, "
                                         f"not a module built before it")
                config[key] = self.built[value["$module"]]

        entries, names, children = description.get("children", []), [], []
        if not isinstance(entries, list):
            raise ModelFileError(f"{path}: {label}: 'children' must be a list, got {entries!r}")
        for entry in entries:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
                raise ModelFileError(f"{path}: {label}: malformed child entry {entry!r}")
            names.append(entry[0])
            child = f"{where}.{entry[0]}" if where else entry[0]
            children.append(self.build(entry[1], child, depth + 1))
        try:
            module = Module.registry[type_name](*children, **config)
        except (TypeError, ValueError) as error:
            raise ModelFileError(f"{path}: cannot rebuild {type_name} at {label} "
                                 f"from config {config!r}: {error}") from error
        if [key for key, _ in module._named_children()] != names:
            raise ModelFileError(f"{path}: {label}: children named {names}, "
                                 f"a {type_name} has {[key for key, _ in module._named_children()]}")
        self._check_parameters(module, where)
        self.built[where] = module
        return module

    def _check_parameters(self, module, where):
        """Refuse a new module unless each of its own parameters is stored, with its shape."""
        for key, parameter in module._parameters.items():
            if id(parameter) in self.checked:
                continue
            self.checked.add(id(parameter))
            name = f"{where}.{key}" if where else key
            if name not in self.stored:
                raise ModelFileError(f"{self.path}: missing parameter {name!r} "
                                     f"(expected shape {parameter.shape})")
            shape = self.stored[name][0]
            if shape != parameter.shape:
                raise ModelFileError(f"{self.path}: parameter {name!r} has shape {shape}, "
                                     f"the architecture needs {parameter.shape}")


def _rebuild_classifier(description, classes, dtype, builder, path):
    if classes.ndim != 1:
        raise ModelFileError(f"{path}: {CLASSES!r} must hold one label per class, "
                             f"got shape {classes.shape}")
    config = _field(description, "config", dict, path, "MLPClassifier")
    try:
        model = MLPClassifier(**config)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{path}: cannot rebuild MLPClassifier from config {config!r}: {error}") from error
    if model.dtype.name != dtype:
        # The dtype predict converts its input to: it must be the parameters' own.
        raise ModelFileError(f"{path}: the MLPClassifier's config has dtype {model.dtype.name}, "
                             f"its parameters {dtype}")
    net = builder.build(_field(description, "net", dict, path, "MLPClassifier"))
    if not (isinstance(net, Sequential) and len(net) and isinstance(net[0], Linear)
            and isinstance(net[-1], Linear) and net[-1].d_out == len(classes)):
        raise ModelFileError(f"{path}: the MLPClassifier's net must be a Sequential from a Linear "
                             f"to a Linear with one output per class ({len(classes)})")
    model.net_, model.classes_, model.n_features_in_ = net, classes, net[0].d_in
    return model
