from __future__ import annotations

import pytest

from strongroom.engines.kv.custom_metadata import parse_custom_metadata
from strongroom.sdk.errors import InvalidRequest


def test_scalars_are_weakly_converted_to_strings() -> None:
    assert parse_custom_metadata({"s": "x", "i": 7, "t": True, "f": False, "r": 1.5, "w": 2.0}) == {
        "s": "x", "i": "7", "t": "1", "f": "0", "r": "1.5", "w": "2"}


def test_nested_values_are_refused_without_echoing() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_custom_metadata({"k": {"secret": "canary"}})
    assert "canary" not in caught.value.message
    assert '"k"' in caught.value.message


def test_null_is_an_empty_value_on_write_but_a_deletion_on_patch() -> None:
    with pytest.raises(InvalidRequest, match="length of value"):
        parse_custom_metadata({"k": None})
    assert parse_custom_metadata({"k": None}, patch=True) == {"k": None}


def test_exactly_64_keys_is_allowed_and_nulls_do_not_count_on_patch() -> None:
    full = {f"k{i}": "v" for i in range(64)}
    assert len(parse_custom_metadata(full)) == 64
    assert len(parse_custom_metadata({**full, "gone": None}, patch=True)) == 65


def test_length_and_printable_rules() -> None:
    ok = {"k" * 128: "v" * 512}
    assert parse_custom_metadata(ok) == ok
    with pytest.raises(InvalidRequest) as caught:
        parse_custom_metadata({"bad\x00key": "v\x01", "": "x"})
    message = caught.value.message
    assert message.startswith("3 errors occurred:\n")
    assert 'length of key "" is 0 but must be 0 < len(key) <= 128' in message
    assert "contains unprintable characters" in message
    assert message.endswith("\n\n")


def test_overlong_value_error_names_the_key_not_the_value() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_custom_metadata({"owner": "canary" * 100})
    assert caught.value.message == (
        '1 error occurred:\n\t* custom_metadata validation failed: length of value for key "owner" is 600 '
        "but must be 0 < len(value) <= 512\n\n"
    )
