"""Argument conversion: lenient like Vault's framework, bounded like Go's types, never echoing the value."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.fields import Duration, arg, parse_args


@dataclass(frozen=True)
class Args:
    uses: int = arg("A count.", default=0)
    ttl: Duration = arg("A duration.", default=Duration(0))


@pytest.mark.parametrize(("raw", "uses"), [(5, 5), ("7", 7), (3.0, 3), (2**63 - 1, 2**63 - 1), (-(2**63), -(2**63))])
def test_ints_in_range(raw: object, uses: int) -> None:
    args, unknown = parse_args(Args, {"uses": raw, "extra": 1})
    assert args.uses == uses and unknown == ["extra"]


@pytest.mark.parametrize("raw", [2**63, -(2**63) - 1, 1e23, str(10**25)])
def test_ints_beyond_int64_are_a_field_error(raw: object) -> None:
    with pytest.raises(InvalidRequest) as info:
        parse_args(Args, {"uses": raw})
    assert info.value.message == 'Field validation failed: error converting input for field "uses": value out of range'


@pytest.mark.parametrize("raw", [True, "many", [1], 1.5])
def test_non_integers_are_a_field_error(raw: object) -> None:
    with pytest.raises(InvalidRequest, match='field "uses": expected an integer'):
        parse_args(Args, {"uses": raw})


def test_durations_beyond_go_range_are_a_field_error() -> None:
    with pytest.raises(InvalidRequest, match=r'field "ttl".*out of range'):
        parse_args(Args, {"ttl": 1e23})
    assert parse_args(Args, {"ttl": "1h"})[0].ttl == 3600
