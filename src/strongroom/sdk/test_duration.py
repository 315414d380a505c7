"""Durations as Vault parses them, and the int64-nanosecond bound Go puts on them."""

from __future__ import annotations

import pytest

from strongroom.sdk.duration import MAX_SECONDS, format_duration, parse_duration
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize(("value", "seconds"), [
    (90, 90), ("90", 90), ("1h30m", 5400), ("1.5s", 1), ("", 0), (2.9, 2), ("-5", -5), (MAX_SECONDS, MAX_SECONDS),
])
def test_accepted_forms(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", [MAX_SECONDS + 1, -(MAX_SECONDS + 1), 1e23, "1000000000000h", str(10**30)])
def test_values_beyond_go_duration_are_refused(value: object) -> None:
    with pytest.raises(InvalidRequest, match="out of range") as info:
        parse_duration(value, "ttl")
    assert "'ttl'" in info.value.message


@pytest.mark.parametrize("value", [True, "bogus", "5 parsecs", [1], None])
def test_malformed_values_are_refused(value: object) -> None:
    with pytest.raises(InvalidRequest):
        parse_duration(value)


def test_format_is_go_style() -> None:
    assert [format_duration(s) for s in (0, 59, 60, 3600, 3661)] == ["0s", "59s", "1m0s", "1h0m0s", "1h1m1s"]
