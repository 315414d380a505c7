"""Typed request arguments: a frozen dataclass per path, its fields declared with `arg(...)`.

The framework converts raw request data into that dataclass the way Vault's framework does: strings that
look like numbers or booleans are accepted for int and bool fields, comma-separated strings for lists,
and `Duration` fields take seconds or Go duration strings. A field that cannot be converted gives
`Field validation failed: error converting input for field "NAME"` (the value itself is never echoed).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, NewType, Union, get_args, get_origin

import orjson

from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest

Duration = NewType("Duration", int)
"""Seconds; accepts an int or a Go duration string such as "1h30m"."""

_MISSING: Any = dataclasses.MISSING


def arg(doc: str, default: Any = _MISSING, *, sensitive: bool = False, factory: Any = _MISSING) -> Any:
    """Declare a request argument. `sensitive` marks values that help output and errors must not show."""
    metadata = {"doc": doc, "sensitive": sensitive}
    if factory is not _MISSING:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Any
    optional: bool
    required: bool
    doc: str
    sensitive: bool


@functools.cache
def field_specs(args_type: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(args_type)
    specs = []
    for f in dataclasses.fields(args_type):
        kind = hints[f.name]
        optional = False
        if get_origin(kind) in (Union, types.UnionType):
            members = [m for m in get_args(kind) if m is not type(None)]
            optional = len(members) < len(get_args(kind))
            kind = members[0] if len(members) == 1 else Any
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        specs.append(
            FieldSpec(f.name, kind, optional, required, f.metadata.get("doc", ""), f.metadata.get("sensitive", False))
        )
    return tuple(specs)


def _fail(name: str, why: str = "") -> InvalidRequest:
    suffix = f": {why}" if why else ""
    return InvalidRequest(f'Field validation failed: error converting input for field "{name}"{suffix}')


def _to_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "t", "false", "0", "f", ""):
        return value.lower() in ("true", "1", "t")
    if isinstance(value, int):
        return value != 0
    raise _fail(name, "cannot parse as a boolean")


def _to_int(name: str, value: Any) -> int:
    number = _parse_int(name, value)
    # Go's int is 64 bits; a larger value would also be unserialisable when stored.
    if not -(2**63) <= number < 2**63:
        raise _fail(name, "value out of range")
    return number


def _parse_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _fail(name, "expected an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip() or "0")
        except ValueError:
            raise _fail(name, "expected an integer") from None
    raise _fail(name, "expected an integer")


def _to_str_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise _fail(name, "expected a list of strings")


def _to_map(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = orjson.loads(value) if value.strip() else {}
        except orjson.JSONDecodeError:
            raise _fail(name, "expected a map") from None
    if isinstance(value, dict):
        return value
    raise _fail(name, "expected a map")


def _convert(spec: FieldSpec, value: Any) -> Any:
    kind, name = spec.kind, spec.name
    if value is None and spec.optional:
        return None
    if kind is Any:
        return value
    if kind is str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise _fail(name, "expected a string")
    if kind is bool:
        return _to_bool(name, value)
    if kind is Duration:
        try:
            return Duration(parse_duration(value, name))
        except InvalidRequest as exc:
            raise _fail(name, exc.message) from None
    if kind is int:
        return _to_int(name, value)
    if kind is float:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _fail(name, "expected a number") from None
    origin = get_origin(kind)
    if origin is list or kind is list:
        return _to_str_list(name, value)
    if origin is dict or kind is dict:
        mapping = _to_map(name, value)
        if get_args(kind)[1:] == (str,):
            return {str(k): str(v) for k, v in mapping.items()}
        return mapping
    raise TypeError(f"unsupported argument type {kind!r} for {name}")


def parse_args(args_type: type, raw: Mapping[str, Any]) -> tuple[Any, list[str]]:
    """Build the args dataclass; returns it with the names of the fields the path did not recognise."""
    values: dict[str, Any] = {}
    specs = field_specs(args_type)
    for spec in specs:
        value = raw.get(spec.name)
        if value is not None or (spec.name in raw and spec.optional):
            values[spec.name] = _convert(spec, value)
        elif spec.required:  # absent, or JSON null where null means nothing (Vault treats it as unset)
            raise InvalidRequest(f"missing required field {spec.name!r}")
    known = {spec.name for spec in specs}
    unknown = sorted(key for key in raw if key not in known)
    return args_type(**values), unknown
