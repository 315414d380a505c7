"""The wire fingerprint against the test vectors of docs/scan-fingerprints.md."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from strongroom.crypto.fingerprint import DOMAIN, FINGERPRINT_LENGTH, scan_fingerprint
from strongroom.crypto.hashing import hmac_sha256, sha256


def test_wire_key_vector() -> None:
    assert sha256(DOMAIN).hex() == "294f6c8b06f7edd74065c311586994d800ef6263908cfb1293c55e282cca6d92"


@pytest.mark.parametrize(("value", "expected"), [
    ("correct horse battery staple", "t3wvTorwbvC4bSVbyX8VByyuwx8GYW2d-IgE_eP5enI"),
    ("  correct horse battery staple\n", "t3wvTorwbvC4bSVbyX8VByyuwx8GYW2d-IgE_eP5enI"),
    ("sr.s.Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k1i7OXO", "1W5AW8-00U4OhyM2zi8Lyid3sr0TFuKrgAOTGSoLLFU"),
])
def test_vectors(value: str, expected: str) -> None:
    assert scan_fingerprint(value) == expected
    assert len(expected) == FINGERPRINT_LENGTH


def test_index_entry_vector() -> None:
    """The documented I(v) vector is reproducible from F (kept for the OPRF follow-up the doc discusses)."""
    fingerprint = scan_fingerprint("correct horse battery staple")
    expected = "4f5729942b2be92f3d60144dcff1aed47e4b4ef55d1dc09251e6db9de2bf9bd1"
    assert hmac_sha256(bytes(range(32)), fingerprint.encode()).hex() == expected


def test_only_surrounding_whitespace_is_normalised() -> None:
    base = scan_fingerprint("Correct horse battery staple")
    assert base != scan_fingerprint("correct horse battery staple")
    assert base != scan_fingerprint("Correct  horse battery staple")
    assert scan_fingerprint("\tCorrect horse battery staple \r\n") == base


def test_non_ascii_is_hashed_as_utf8() -> None:
    """Checked against the standard library's HMAC, an implementation independent of the recipe."""
    digest = hmac.new(hashlib.sha256(DOMAIN).digest(), "pässwörd-ünïcode".encode(), hashlib.sha256).digest()
    assert scan_fingerprint(" pässwörd-ünïcode ") == base64.urlsafe_b64encode(digest).decode().rstrip("=")
