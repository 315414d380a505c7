"""custom_metadata: user strings attached to a KV v2 key, with OpenBao's limits and error texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from strongroom.sdk.errors import InvalidRequest

MAX_KEYS = 64
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 512
PREFIX = "custom_metadata validation failed"


def _multierror(errors: list[str]) -> InvalidRequest:
    # Go's multierror text, which OpenBao returns verbatim.
    head = "1 error occurred:" if len(errors) == 1 else f"{len(errors)} errors occurred:"
    return InvalidRequest(head + "".join(f"\n\t* {e}" for e in errors) + "\n\n")


def _as_string(key: str, value: Any) -> str:
    """Go's weak decoding of a scalar into a string; objects and lists are refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise InvalidRequest(f"{PREFIX}: value for key {_quote(key)} must be a string")


def _quote(text: str) -> str:
    return orjson.dumps(text).decode()


def _problems(key: str, value: str) -> list[str]:
    found = []
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        found.append(
            f"{PREFIX}: length of key {_quote(key)} is {len(key)} but must be 0 < len(key) <= {MAX_KEY_LENGTH}"
        )
    if not 0 < len(value) <= MAX_VALUE_LENGTH:
        found.append(
            f"{PREFIX}: length of value for key {_quote(key)} is {len(value)} "
            f"but must be 0 < len(value) <= {MAX_VALUE_LENGTH}"
        )
    if not key.isprintable():
        found.append(f"{PREFIX}: key {_quote(key)} contains unprintable characters")
    if not value.isprintable():
        found.append(f"{PREFIX}: value for key {_quote(key)} contains unprintable characters")
    return found


def parse_custom_metadata(raw: Mapping[str, Any], *, patch: bool = False) -> dict[str, Any]:
    """Validated string map. With `patch`, null values are kept (they delete keys in a merge patch) and are
    not counted; otherwise a null becomes an empty string and fails the length check. Values are never echoed."""
    converted: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            converted[key] = None if patch else ""
        else:
            converted[key] = _as_string(key, value)
    present = {k: v for k, v in converted.items() if v is not None}
    if len(present) > MAX_KEYS:
        raise _multierror([f"{PREFIX}: payload must contain at most {MAX_KEYS} keys, provided {len(present)}"])
    errors = [problem for key in sorted(present) for problem in _problems(key, present[key])]
    if errors:
        raise _multierror(errors)
    return converted
