"""A config read against its JSON Schema: numbers made the schema's types, and each error the
schema finds written as one line naming its key path.

YAML 1.1 reads ``1e-3`` as a string: :func:`normalise` makes it a number wherever the schema asks
for a number or an integer, and an integral float an int where it asks for an integer. A
jsonschema error becomes ``grid.noise[2] = 1.5: must be in [0, 1]`` (:func:`describe`).
"""
import math
from collections.abc import Mapping

import jsonschema

_TYPE_NAMES = {
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


def normalise(value, schema, root=None):
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
        return {key: normalise(item, properties.get(key, extra), root) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, schema.get("items", {}), root) for item in value]
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


def item_problems(schema, key, value):
    """Why `value` may not be an entry of the list at config key `key` (e.g. ``"grid.noise"``)
    of `schema` (as from :func:`study.config.load_schema`): a list of reasons such as
    ``"must be in [0, 1]"``, empty if it may."""
    node = schema
    for part in key.split("."):
        node = node["properties"][part]
    # The entries' schema as a root of its own, with the $defs its $refs name.
    items = {"$defs": schema.get("$defs", {}), **node["items"]}
    return [_reason(error) for error in jsonschema.Draft202012Validator(items).iter_errors(value)]


def describe(error):
    """One line for a jsonschema error: ``key.path[i] = value: what is wrong``."""
    path = key_path(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "; ".join(
            f"{key_path([*error.absolute_path, key])}: unknown key (allowed: {allowed})"
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


def key_path(parts):
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
