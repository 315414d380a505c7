"""Durations as Vault accepts them: integer seconds, or Go duration strings such as "1h30m" or "90s"."""

from __future__ import annotations

import re

from strongroom.sdk.errors import InvalidRequest

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)")
# Go's time.Duration is int64 nanoseconds (about 292 years); a longer value cannot be stored or echoed.
MAX_SECONDS = (2**63 - 1) // 10**9


def parse_duration(value: object, field: str = "duration") -> int:
    """Seconds (rounded down). Raises InvalidRequest naming the field, never echoing a secret."""
    seconds = _parse_seconds(value, field)
    if abs(seconds) > MAX_SECONDS:
        raise InvalidRequest(f"invalid duration for field {field!r}: out of range")
    return seconds


def _parse_seconds(value: object, field: str) -> int:
    if isinstance(value, bool):
        raise InvalidRequest(f"invalid duration for field {field!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        if re.fullmatch(r"-?\d+", text):
            return int(text)
        if _PART.sub("", text) == "" and text:
            return int(sum(float(n) * _UNITS[u] for n, u in _PART.findall(text)))
        shown = text[:64]
        unit = re.fullmatch(r"-?\d+(?:\.\d+)?(\D.*)", shown)
        if unit is not None and unit.group(1).strip() and _PART.fullmatch("1" + unit.group(1)) is None:
            raise InvalidRequest(f'time: unknown unit "{unit.group(1)}" in duration "{shown}"')
        raise InvalidRequest(f'time: invalid duration "{shown}"')
    raise InvalidRequest(f"invalid duration for field {field!r}")


def format_duration(seconds: int) -> str:
    """Go's time.Duration.String for whole seconds: 3600 -> "1h0m0s", 0 -> "0s"."""
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"
