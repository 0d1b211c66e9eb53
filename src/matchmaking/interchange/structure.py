"""The structure of a decoded document (types, required keys, no unknown keys), checked against the
JSON Schema of its version, every problem named by record and field.

A large document is checked first by a plain-Python check compiled once from the schema (``is_valid``),
which visits each value once; only a document it does not accept is given to ``jsonschema``, whose
messages name each problem. The compiled check never accepts what ``jsonschema`` refuses (a test keeps
them so): where it is unsure (a float where an integer is expected, a keyword it does not know) it says
no, and ``jsonschema`` decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import jsonschema

from matchmaking.interchange.schema import SCHEMAS

SHOWN_CHARS = 60  # a value quoted in a message is cut to this many characters

Check = Callable[[Any], bool]

# Keywords that only describe the schema and do not constrain a value.
_ANNOTATIONS = frozenset({"$schema", "title", "description"})
_TYPES: dict[str, Check] = {
    "string": lambda v: type(v) is str,
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "boolean": lambda v: type(v) is bool,
    "integer": lambda v: type(v) is int,
    "null": lambda v: v is None,
}


class _UnsupportedError(Exception):
    """The schema uses a keyword the compiled check does not know: ``jsonschema`` checks alone."""


def _compile(schema: dict[str, Any]) -> Check:
    """A predicate that accepts a value only if ``schema`` does."""
    known = {
        "type", "required", "additionalProperties", "properties", "items", "maxLength", "minLength",
        "minimum", "maximum", "const",
    }  # fmt: skip
    if set(schema) - known - _ANNOTATIONS:
        raise _UnsupportedError(sorted(set(schema) - known - _ANNOTATIONS))
    checks: list[Check] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(name not in _TYPES for name in names):
            raise _UnsupportedError(names)
        types = [_TYPES[name] for name in names]
        checks.append(types[0] if len(types) == 1 else lambda v: any(t(v) for t in types))
    if "const" in schema:
        const = schema["const"]
        checks.append(lambda v: type(v) is type(const) and v == const)
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None or high is not None:
        lowest, highest = low or 0, high if high is not None else float("inf")
        checks.append(lambda v: type(v) is not str or lowest <= len(v) <= highest)
    least, most = schema.get("minimum"), schema.get("maximum")
    if least is not None or most is not None:
        floor = least if least is not None else float("-inf")
        ceiling = most if most is not None else float("inf")
        # A float is left to jsonschema; a bool is not a number to it.
        checks.append(lambda v: floor <= v <= ceiling if type(v) is int else type(v) is not float)
    if "items" in schema:
        item = _compile(schema["items"])
        checks.append(lambda v: type(v) is not list or all(item(i) for i in v))
    if {"properties", "required", "additionalProperties"} & set(schema):
        checks.append(_object_check(schema))
    return _all(checks)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    first, rest = checks[0], _all(checks[1:])
    return lambda v: first(v) and rest(v)


def _object_check(schema: dict[str, Any]) -> Check:
    properties = {name: _compile(sub) for name, sub in schema.get("properties", {}).items()}
    required = frozenset(schema.get("required", ()))
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise _UnsupportedError(["additionalProperties"])
    closed = extra is False

    def check(value: Any) -> bool:
        if type(value) is not dict:
            return True
        if not required <= value.keys():
            return False
        for name, item in value.items():
            found = properties.get(name)
            if found is None:
                if closed:
                    return False
            elif not found(item):
                return False
        return True

    return check


@cache
def compiled(version: int) -> Check | None:
    """The compiled check of a format version's schema (None: ``jsonschema`` checks alone)."""
    try:
        return _compile(SCHEMAS[version])
    except _UnsupportedError:
        return None


def is_valid(raw: Any, version: int) -> bool:
    """Whether ``raw`` is certainly valid against the schema of ``version`` (False: maybe not)."""
    check = compiled(version)
    return check is not None and check(raw)


def structure_problems(raw: dict[str, Any], version: int) -> list[str]:
    """Every structural problem of ``raw``, named by record and field; [] for a valid document."""
    if is_valid(raw, version):
        return []
    validator = jsonschema.Draft202012Validator(SCHEMAS[version])
    problems = []
    for error in sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path))):
        where = record_label(raw, error.absolute_path)
        if error.validator == "additionalProperties":
            message = f"unknown field(s): {error.message.split('(')[-1].rstrip(')')}"
        elif error.validator == "required":
            message = error.message.replace("is a required property", "is required")
        elif error.validator == "maxLength":
            message = f"bad value {shown(error.instance)}: longer than {error.validator_value:,} characters"
        else:
            message = f"bad value {shown(error.instance)}: {_shorten(error.message)}"
        problems.append(f"{where}: {message}")
    return problems


def shown(value: Any) -> str:
    """A value as quoted in a message: control characters escaped, cut to ``SHOWN_CHARS``."""
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return f"{value[:SHOWN_CHARS]!r}… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS + 2 else text[:SHOWN_CHARS] + "…"


def _shorten(message: str) -> str:
    return message if len(message) <= 4 * SHOWN_CHARS else message[: 4 * SHOWN_CHARS] + "…"


def record_label(raw: dict[str, Any], path: Iterable[Any]) -> str:
    """``exchanges[x-1].visitors[v1].kind`` for a path like ("exchanges", 0, "visitors", 0, "kind"):
    a list index becomes the record's id where it has one, else its position (#1, #2 ...)."""
    parts = list(path)
    out: list[str] = []
    node: Any = raw
    for i, part in enumerate(parts):
        if isinstance(part, int) and out:
            try:
                node = node[part]
                rid = node.get("id") if isinstance(node, dict) else None
            except (KeyError, IndexError, TypeError):
                rid = None
            out[-1] += f"[{rid if isinstance(rid, str) and rid else f'#{part + 1}'}]"
            continue
        out.append(str(part))
        if i < len(parts) - 1:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
    return ".".join(out) or "document"
