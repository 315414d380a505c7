from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.kms import blob


def test_uuid_ids_take_sixteen_raw_bytes() -> None:
    key_id = str(uuid.uuid4())
    field = blob.key_field(key_id)
    assert len(field) == 17 and field[0] == 0
    parsed = blob.parse(blob.build(field, 3, b"n" * 12 + b"ct" + b"t" * 16))
    assert (parsed.key_id, parsed.version, parsed.key_field) == (key_id, 3, field)


def test_other_names_are_length_prefixed() -> None:
    for name in ("payments", "A1B2C3D4-0000-4000-8000-000000000000", "x" * 255):
        parsed = blob.parse(blob.build(blob.key_field(name), 1, b"p" * 28))
        assert parsed.key_id == name
    with pytest.raises(blob.BlobError):
        blob.key_field("x" * 256)


@pytest.mark.parametrize("data", [b"", b"SRK", b"SRK\x02" + b"\x00" * 40, b"SRK\x01\x05" + b"\x00" * 40,
                                  b"SRK\x01\x00" + b"\x00" * 10, b"SRK\x01\x01\x04ab", b"SRK\x01\x01\x02\xff\xfe" +
                                  b"\x00" * 40, b"SRK\x01\x01\x01a\x00\x00\x00\x00" + b"\x00" * 28,
                                  b"SRK\x01\x01\x01a\x00\x00\x00\x01" + b"\x00" * 27])
def test_malformed_blobs(data: bytes) -> None:
    with pytest.raises(blob.BlobError):
        blob.parse(data)


def test_context_encoding_is_canonical_and_unambiguous() -> None:
    assert blob.encode_context({"a": "1", "b": "2"}) == blob.encode_context({"b": "2", "a": "1"})
    assert blob.encode_context({"ab": "c"}) != blob.encode_context({"a": "bc"})
    assert blob.encode_context({}) == b"\x00\x00"
    field = blob.key_field("k")
    assert blob.associated_data(field, {"a": "b"}).startswith(blob.MAGIC + field)


@given(st.dictionaries(st.text(max_size=20), st.text(max_size=20), max_size=8),
       st.dictionaries(st.text(max_size=20), st.text(max_size=20), max_size=8))
def test_distinct_contexts_encode_differently(left: dict[str, str], right: dict[str, str]) -> None:
    assert (blob.encode_context(left) == blob.encode_context(right)) == (left == right)
