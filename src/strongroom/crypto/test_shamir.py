from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.crypto import shamir
from strongroom.crypto.shamir import ShamirError, _inverse, _mul


def _reference_mul(a: int, b: int) -> int:
    """Textbook carry-less multiply then reduce by the AES polynomial (a slow, obviously correct model)."""
    product = 0
    for bit in range(8):
        if b >> bit & 1:
            product ^= a << bit
    for bit in range(15, 7, -1):
        if product >> bit & 1:
            product ^= 0x11B << (bit - 8)
    return product


def test_field_multiplication_matches_the_reference_for_every_pair() -> None:
    for a in range(256):
        for b in range(256):
            assert _mul(a, b) == _reference_mul(a, b)


def test_known_answers_from_fips_197() -> None:
    assert _mul(0x57, 0x83) == 0xC1
    assert _mul(0x57, 0x13) == 0xFE


def test_every_nonzero_element_has_an_inverse() -> None:
    for a in range(1, 256):
        assert _mul(a, _inverse(a)) == 1


def test_any_threshold_subset_recovers_the_secret() -> None:
    secret = os.urandom(32)
    shares = shamir.split(secret, 5, 3)
    assert all(len(s) == 33 for s in shares)
    for subset in itertools.combinations(shares, 3):
        assert shamir.combine(list(subset)) == secret


def test_fewer_shares_than_the_threshold_do_not_recover_it() -> None:
    secret = os.urandom(32)
    shares = shamir.split(secret, 5, 3)
    assert shamir.combine(shares[:2]) != secret


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(2, 10), st.data())
def test_round_trip_property(secret: bytes, shares: int, data: st.DataObject) -> None:
    threshold = data.draw(st.integers(2, shares))
    parts = shamir.split(secret, shares, threshold)
    chosen = data.draw(st.permutations(parts))[:threshold]
    assert shamir.combine(list(chosen)) == secret


@pytest.mark.parametrize(("shares", "threshold"), [(1, 1), (3, 1), (2, 3), (256, 2), (0, 0)])
def test_invalid_parameters_are_refused(shares: int, threshold: int) -> None:
    with pytest.raises(ShamirError):
        shamir.split(b"secret", shares, threshold)


def test_invalid_share_sets_are_refused() -> None:
    shares = shamir.split(b"0123456789abcdef", 3, 2)
    with pytest.raises(ShamirError):
        shamir.combine([shares[0]])
    with pytest.raises(ShamirError):
        shamir.combine([shares[0], shares[0]])
    with pytest.raises(ShamirError):
        shamir.combine([shares[0], shares[1][:-2]])
    with pytest.raises(ShamirError):
        shamir.split(b"", 3, 2)
