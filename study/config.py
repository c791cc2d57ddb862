"""Load and validate the study's configuration against a JSON Schema (written in YAML).

Validation returns a new dict in which

- numbers written as strings (YAML 1.1 reads ``1e-3`` as a string) are numbers wherever the
  schema asks for a number or an integer, and integral floats are ints where it asks for an integer;
- every missing key with a ``default`` in the schema is filled in;

or raises :class:`ConfigError` listing every problem, each naming its key path, e.g.
``config: grid.noise[2] = 1.5: must be in [0, 1]``.
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


def load_schema(path):
    """Read a schema file (YAML or JSON) into a dict."""
    with open(path) as f:
        return yaml.safe_load(f)


def load_config(path, schema):
    """Read the YAML config at `path` and validate it (see :func:`validate_config`)."""
    with open(path) as f:
        return validate_config(yaml.safe_load(f), schema, source=str(path))


def validate_config(config, schema, source="config"):
    """Coerce numbers, fill defaults and check `config` against `schema`.

    Parameters
    ----------
    config : mapping or None
        As read from YAML and merged with command-line overrides; not modified.
    schema : mapping
        A JSON Schema (draft 2020-12) whose object properties carry ``default`` values.
    source : str
        Prefix of every error line.

    Returns
    -------
    dict, the normalised config.

    Raises
    ------
    ConfigError
    """
    normalised = _normalise({} if config is None else config, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(normalised), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ConfigError("\n".join(f"{source}: {_describe(e)}" for e in errors))
    return normalised


def _normalise(value, schema):
    """A copy of `value` with defaults from `schema` filled in and number strings made numbers."""
    if isinstance(value, Mapping):
        properties = schema.get("properties", {})
        out = {key: _normalise(item, properties.get(key, {})) for key, item in value.items()}
        for key, sub in properties.items():
            if key not in out and "default" in sub:
                out[key] = _normalise(copy.deepcopy(sub["default"]), sub)
        return out
    if isinstance(value, list):
        return [_normalise(item, schema.get("items", {})) for item in value]
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
    where = f"{path} = {_show(error.instance)}" if path else _show(error.instance)
    schema, kind = error.schema, error.validator
    if kind == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(schema.get("properties", {})))
        return "; ".join(
            f"{_key_path([*error.absolute_path, key])}: unknown key (allowed: {allowed})"
            for key in unknown
        )
    if kind == "type":
        expected = schema["type"]
        expected = [expected] if isinstance(expected, str) else expected
        return f"{where}: must be {' or '.join(_TYPE_NAMES.get(t, t) for t in expected)}"
    if kind == "enum":
        return f"{where}: must be one of {', '.join(map(str, schema['enum']))}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{where}: must be {_range(schema)}"
    if kind == "minItems":
        if schema["minItems"] == 1:
            return f"{where}: must not be empty"
        return f"{where}: must have at least {schema['minItems']} entries"
    if kind == "uniqueItems":
        return f"{where}: has duplicate entries"
    if kind == "required":
        return f"{path or '(top level)'}: {error.message}"
    return f"{where}: {error.message}"


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

