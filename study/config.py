"""Load and validate the study's configuration.

The defaults are written once, in the repository's ``config.yaml``; a study's own config (a
``--configfile``, ``--config`` values) is merged over them (:func:`merge`). The JSON Schema
(``workflow/schemas/config.schema.yaml``) gives types, ranges and descriptions only; the
sections of the registered datasets (``data.{name}``), model families (``families.{name}``)
and analyses (``analysis.{name}``) are added to it from the registries (:func:`load_schema`),
so it names none of them.

Validation returns a new dict in which numbers written as strings (YAML 1.1 reads ``1e-3`` as
a string) are numbers wherever the schema asks for a number or an integer, and integral floats
are ints where it asks for an integer; or raises :class:`ConfigError` listing every problem,
each naming its key path, e.g. ``config: grid.noise[2] = 1.5: must be in [0, 1]``.
"""
import copy
import math
from collections.abc import Mapping

import jsonschema
import yaml

_TYPE_NAMES = {
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


class ConfigError(ValueError):
    """The configuration does not satisfy the schema; the message names each offending key."""


def read_yaml(path):
    """A YAML file as Python values; a missing file, or a syntax error, is a ConfigError naming
    the file (and the line)."""
    try:
        with open(path) as f:
            return yaml.safe_load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(error, 'problem', error)}") from None


def load_schema(path):
    """The schema file (YAML) with the sections of every registered dataset, model family and
    analysis filled in from the registries."""
    from study.analyses import ANALYSES
    from study.datasets import DATASETS, READ_SCHEMA
    from study.families import FAMILIES

    schema = read_yaml(path)
    properties = schema["properties"]
    schema["$defs"]["dataset"]["enum"] = list(DATASETS)
    properties["grid"]["properties"]["family"]["items"]["enum"] = list(FAMILIES)
    for axis in {axis.name: axis for family in FAMILIES.values() for axis in family.axes}.values():
        properties["grid"]["properties"].setdefault(axis.name, {
            "description": axis.description, "type": "array", "minItems": 1, "uniqueItems": True,
            "items": axis.items})
    properties["analyses"]["items"]["enum"] = list(ANALYSES)
    for key, registry in (("data", DATASETS), ("families", FAMILIES), ("analysis", ANALYSES)):
        properties[key].setdefault("properties", {}).update(
            {name: _section(entry.schema, READ_SCHEMA if key == "data" else {})
             for name, entry in registry.items()})
    return schema


def _section(properties, optional=None):
    """A registered entry's config section: its own `properties`, all required, and the
    `optional` ones every entry of its kind may set (a dataset's ``binarize``)."""
    return {"type": "object", "additionalProperties": False, "properties": {**properties, **(optional or {})},
            "required": list(properties)}


def merge(base, override):
    """`base` with `override` merged in, recursively for mappings (a list or a number replaces)."""
    if not isinstance(base, Mapping) or not isinstance(override, Mapping):
        return copy.deepcopy(override)
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        merged[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
    return merged


def load_config(path, schema, defaults=None):
    """Read the YAML config at `path`, merge it over `defaults` and validate it."""
    return validate_config(read_yaml(path), schema, source=str(path), defaults=defaults)


def validate_config(config, schema, source="config", defaults=None):
    """Merge `config` over `defaults`, coerce numbers and check the result against `schema`.

    Parameters
    ----------
    config : mapping or None
        As read from YAML and merged with command-line overrides; not modified.
    schema : mapping
        A JSON Schema (draft 2020-12), as from :func:`load_schema`.
    source : str
        Prefix of every error line.
    defaults : mapping or None
        The repository's config.yaml, under `config`.

    Returns
    -------
    dict, the normalised config.

    Raises
    ------
    ConfigError
    """
    merged = merge(defaults or {}, {} if config is None else config)
    normalised = _normalise(merged, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(normalised), key=lambda e: list(map(str, e.absolute_path)))
    problems = [f"{source}: {_describe(e)}" for e in errors]
    problems += [f"{source}: {problem}" for problem in _non_finite(normalised)]
    if not problems:
        problems += [f"{source}: {problem}" for problem in _family_axes(normalised)]
    if not problems:
        problems += [f"{source}: {problem}" for problem in _per_dataset(normalised)]
    if not problems:
        problems += [f"{source}: {problem}" for problem in _against_the_data(normalised)]
    if problems:
        raise ConfigError("\n".join(problems))
    return normalised


def _family_axes(config):
    """A grid key missing for an axis that one of the grid's families varies."""
    from study.families import FAMILIES

    grid = config["grid"]
    for family in grid["family"]:
        for axis in FAMILIES[family].axes:
            if axis.name not in grid:
                yield f"grid.{axis.name}: missing; the {family} family varies it ({axis.description})"


def _against_the_data(config):
    """Settings that pass the schema but not the datasets they apply to: each is checked
    against every studied dataset's size (known from the registry before any file exists),
    so that it fails here, named, and not in a job an hour later."""
    from study.datasets import DATASETS

    analysis = config["analysis"]
    for name in config["datasets"]:
        dataset = DATASETS[name]
        sizes = dataset.sizes(config["data"][name], config["splits"])
        k = dataset.n_classes
        for i, latent_dim in enumerate(config["grid"]["latent_dim"]):
            problem = latent_dim_problem(latent_dim, name)
            if problem:
                yield f"grid.latent_dim[{i}] = {latent_dim}: {problem}"
        if sizes["train"] < 5 * k or sizes["val"] < k:
            yield (f"splits.validation_fraction = {config['splits']['validation_fraction']}: leaves "
                   f"{name} with {sizes['train']} training and {sizes['val']} validation images for {k} "
                   f"classes; lower it")
        tsne = analysis.get("tsne")
        if tsne:
            subset = min(tsne["size"], sizes["test"])
            if tsne["perplexity"] >= subset:
                yield (f"analysis.tsne.perplexity = {tsne['perplexity']}: must be below the t-SNE "
                       f"subset of {name} ({subset} test images)")
            if tsne["n_neighbors"] >= subset / 2:
                yield (f"analysis.tsne.n_neighbors = {tsne['n_neighbors']}: must be below half the "
                       f"t-SNE subset of {name} ({subset} test images)")
            if tsne["knn_k"] >= subset:
                yield f"analysis.tsne.knn_k = {tsne['knn_k']}: must be below the t-SNE subset of {name} ({subset})"
        classification = analysis.get("classification")
        if classification and classification["knn_k"] > sizes["train"]:
            yield (f"analysis.classification.knn_k = {classification['knn_k']}: above the "
                   f"{sizes['train']} training images of {name}")


def latent_dim_problem(latent_dim, name):
    """Why a code (or PCA) of `latent_dim` units is refused on the registered dataset `name`,
    or None."""
    from study.datasets import DATASETS

    n_features = math.prod(DATASETS[name].image_shape)
    if latent_dim > n_features:
        return (f"above the {n_features} features of {name} (PCA of that size cannot exist, and a "
                f"code that wide compresses nothing)")
    return None


def item_problems(schema, key, value):
    """Why `value` may not be an entry of the list at config key `key` (e.g. ``"grid.noise"``)
    of `schema` (as from :func:`load_schema`): a list of reasons such as ``"must be in [0, 1]"``,
    empty if it may."""
    node = schema
    for part in key.split("."):
        node = node["properties"][part]
    # The entries' schema as a root of its own, with the $defs its $refs name.
    items = {"$defs": schema.get("$defs", {}), **node["items"]}
    return [_reason(error) for error in jsonschema.Draft202012Validator(items).iter_errors(value)]


def _non_finite(value, path=()):
    """Key paths holding NaN or an infinity: they pass every range check (any comparison with
    NaN is false), then fail much later or never."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _non_finite(item, (*path, i))
    elif isinstance(value, float) and not math.isfinite(value):
        yield f"{_key_path(path)} = {value}: must be a finite number"


def per_dataset(value, dataset):
    """A setting given once for every dataset, or as a mapping per dataset: `dataset`'s value."""
    return value[dataset] if isinstance(value, Mapping) else value


def _per_dataset(config):
    """Settings given per dataset must give a value for each dataset studied, and name only
    registered datasets."""
    from study.datasets import DATASETS

    def walk(value, path):
        if isinstance(value, Mapping) and value and set(value) <= set(DATASETS):
            missing = [d for d in config["datasets"] if d not in value]
            if missing:
                yield (f"{_key_path(path)}: no value for dataset {', '.join(missing)} (give one "
                       f"value for every dataset, or one per dataset studied)")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk(item, (*path, key))

    for key in ("training", "classifiers", "families"):
        yield from walk(config.get(key, {}), (key,))


def _normalise(value, schema, root=None):
    """A copy of `value` with number strings made numbers where `schema` asks for numbers
    (following local ``$ref``s into `root`'s ``$defs``)."""
    root = schema if root is None else root
    if "$ref" in schema:
        schema = {**root["$defs"][schema["$ref"].rsplit("/", 1)[-1]],
                  **{k: v for k, v in schema.items() if k != "$ref"}}
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        extra = extra if isinstance(extra, Mapping) else {}
        return {key: _normalise(item, properties.get(key, extra), root) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item, schema.get("items", {}), root) for item in value]
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "number" in types or "integer" in types:
        return _as_number(value, integer="number" not in types)
    return value


def _as_number(value, integer):
    """`value` as the number it spells, if it spells a finite one; otherwise unchanged.

    An unchanged string then fails the schema's type check, with its key named.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        if not math.isfinite(number):
            return value
        value = number
    if integer and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _describe(error):
    """One line for a jsonschema error: ``key.path[i] = value: what is wrong``."""
    path = _key_path(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "; ".join(
            f"{_key_path([*error.absolute_path, key])}: unknown key (allowed: {allowed})"
            for key in unknown
        )
    if error.validator == "required":
        return f"{path or '(top level)'}: {error.message}"
    where = f"{path} = {_show(error.instance)}" if path else _show(error.instance)
    return f"{where}: {_reason(error)}"


def _reason(error):
    """What is wrong with the value of a jsonschema error, e.g. ``must be in [0, 1]``."""
    schema, kind = error.schema, error.validator
    if kind == "type":
        expected = schema["type"]
        expected = [expected] if isinstance(expected, str) else expected
        return f"must be {' or '.join(_TYPE_NAMES.get(t, t) for t in expected)}"
    if kind == "enum":
        return f"must be one of {', '.join(map(str, schema['enum']))}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"must be {_range(schema)}"
    if kind == "minItems":
        if schema["minItems"] == 1:
            return "must not be empty"
        return f"must have at least {schema['minItems']} entries"
    if kind == "uniqueItems":
        return "has duplicate entries"
    return error.message


def _key_path(parts):
    """``['grid', 'noise', 2]`` -> ``'grid.noise[2]'``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _show(value):
    return repr(value) if isinstance(value, str) else str(value)


def _range(schema):
    """The allowed interval, e.g. ``in [0, 1]``, ``in (0, 1)`` or ``>= 1``."""
    low = ("[", schema["minimum"]) if "minimum" in schema else (
        ("(", schema["exclusiveMinimum"]) if "exclusiveMinimum" in schema else None)
    high = ("]", schema["maximum"]) if "maximum" in schema else (
        (")", schema["exclusiveMaximum"]) if "exclusiveMaximum" in schema else None)
    if low and high:
        return f"in {low[0]}{low[1]}, {high[1]}{high[0]}"
    if low:
        return f"{'>=' if low[0] == '[' else '>'} {low[1]}"
    return f"{'<=' if high[0] == ']' else '<'} {high[1]}"


def main(argv=None):
    """``python -m study.config [STUDY.yaml ...]``: check study configs before any run.

    Snakemake reads a ``--configfile`` itself, and a YAML syntax error there is reported without
    the file's name or the line; this reads each file as the workflow would (merged over the
    repository's config.yaml) and names the file, the line, or the key of every problem. Returns
    the exit status: 0 if every file is valid, 2 otherwise.
    """
    import argparse
    import sys
    from pathlib import Path

    from study.registry import load_extensions

    repository = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(
        prog="python -m study.config",
        description="Check study configs as the workflow reads them: each merged over the "
                    "repository's config.yaml and validated against the schema, every problem "
                    "named by its file and line or its key.",
        epilog="Exit status: 0 if every file is valid, 2 otherwise.")
    parser.add_argument("configs", nargs="*", metavar="STUDY.yaml",
                        help="a study config (default: the repository's config.yaml)")
    args = parser.parse_args(argv)
    defaults = read_yaml(repository / "config.yaml")
    schema = load_schema(repository / "workflow" / "schemas" / "config.schema.yaml")
    status = 0
    for path in args.configs or [repository / "config.yaml"]:
        try:
            study = read_yaml(path)
            load_extensions(merge(defaults, study or {}).get("extensions", []))
            validate_config(study, schema, source=str(path), defaults=defaults)
            print(f"{path}: valid")
        except ValueError as error:  # ConfigError is one
            print(error, file=sys.stderr)
            status = 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
