from __future__ import annotations

import hashlib

import pytest

from strongroom.crypto.hashing import HASH_ALGORITHMS, digest, equal, hmac_sha256


def test_hmac_matches_rfc_4231_case_2() -> None:
    mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?")
    assert mac.hex() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


@pytest.mark.parametrize("name", HASH_ALGORITHMS)
def test_digests_agree_with_hashlib(name: str) -> None:
    family, bits = name.split("-")
    reference = hashlib.new(("sha" if family == "sha2" else "sha3_") + bits, b"hello").digest()
    assert digest(name, b"hello") == reference


def test_constant_time_equal() -> None:
    assert equal("abc", b"abc")
    assert not equal("abc", "abd")


def test_new_uuid_is_a_version_4_uuid() -> None:
    import uuid

    from strongroom.crypto.random import new_uuid

    values = {new_uuid() for _ in range(100)}
    assert len(values) == 100
    for value in values:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and str(parsed) == value
