from __future__ import annotations

import pytest

from strongroom.auth.approle.metadata import parse_metadata
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, {}), ("  ", {}), ('{"a":"b"}', {"a": "b"}), ("eyJhIjoiYiJ9", {"a": "b"}),
        ("a = b, c=", {"a": "b", "c": ""}),
    ],
)
def test_accepted_forms(raw: object, expected: dict[str, str]) -> None:
    assert parse_metadata(raw) == expected


@pytest.mark.parametrize("raw", ["[1]", "=canary", "canary", {"canary": 1}, ["canary=1"], '{"canary": {"b": "c"}}'])
def test_refused_forms_do_not_echo_the_input(raw: object) -> None:
    with pytest.raises(InvalidRequest) as raised:
        parse_metadata(raw)
    assert "canary" not in raised.value.message
