from __future__ import annotations

import pytest

from strongroom.crypto.kdf import hkdf_sha256
from strongroom.crypto.mac import MAC_ALGORITHMS, MacKey

# RFC 4231 test case 2 ("Jefe").
RFC4231_CASE_2 = {
    "sha2-224": "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
    "sha2-256": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    "sha2-384": "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
    "sha2-512": "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
                "caeab1a34d4a6b4b636e070a38bce737",
}


@pytest.mark.parametrize(("algorithm", "expected"), RFC4231_CASE_2.items())
def test_rfc4231_case_2(algorithm: str, expected: str) -> None:
    key = MacKey(b"Jefe", algorithm)
    message = b"what do ya want for nothing?"
    assert key.digest(message).hex() == expected
    assert key.verify(message, bytes.fromhex(expected))
    assert not key.verify(message, bytes.fromhex(expected)[:-1] + b"\0")


def test_rfc4231_case_1_and_key_reuse() -> None:
    key = MacKey(b"\x0b" * 20, "sha2-256")
    for _ in range(2):
        assert key.digest(b"Hi There").hex() == (
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")


def test_every_offered_algorithm_works_and_unknown_fails() -> None:
    for name in MAC_ALGORITHMS:
        assert MacKey(b"k", name).digest(b"m")
    with pytest.raises(KeyError):
        MacKey(b"k", "md5")


def test_rfc5869_case_3_hkdf_without_salt_or_info() -> None:
    okm = hkdf_sha256(b"\x0b" * 22, b"", 42)
    assert okm.hex() == ("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")


def test_hkdf_context_separates_keys() -> None:
    assert hkdf_sha256(b"k" * 32, b"a", 32) != hkdf_sha256(b"k" * 32, b"b", 32)
