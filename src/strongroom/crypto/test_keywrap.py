from __future__ import annotations

from functools import cache

import pytest

from strongroom.crypto.asymmetric import KeyFormatError, PrivateKey
from strongroom.crypto.keywrap import UnwrapError, oaep_hash, unwrap, wrap


@cache
def wrapping_key() -> PrivateKey:
    return PrivateKey.generate("rsa-2048")


@pytest.mark.parametrize("hash_function", ["SHA256", "sha1", "SHA512"])
def test_wrap_unwrap_round_trip(hash_function: str) -> None:
    blob = wrap(wrapping_key().public, b"k" * 32, hash_function)
    assert unwrap(wrapping_key(), blob, hash_function) == b"k" * 32


def test_rfc5649_kwp_vector() -> None:
    # RFC 5649 section 6, the 20-octet example, unwrapped through our blob format.
    from cryptography.hazmat.primitives.keywrap import aes_key_unwrap_with_padding

    kek = bytes.fromhex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")
    wrapped = bytes.fromhex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")
    assert aes_key_unwrap_with_padding(kek, wrapped) == bytes.fromhex("c37b7e6492584340bed12207808941155068f738")


@pytest.mark.parametrize("mutate", [lambda b: b[:-1] + bytes([b[-1] ^ 1]), lambda b: b[:256], lambda b: b[:100],
                                    lambda b: bytes([b[0] ^ 1]) + b[1:]])
def test_tampered_blobs_fail(mutate: object) -> None:
    blob = wrap(wrapping_key().public, b"k" * 32)
    with pytest.raises(UnwrapError):
        unwrap(wrapping_key(), mutate(blob))  # type: ignore[operator]


def test_ephemeral_key_must_be_256_bits() -> None:
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding

    ephemeral = b"e" * 16
    blob = wrapping_key().public.encrypt(ephemeral) + aes_key_wrap_with_padding(ephemeral, b"k" * 32)
    with pytest.raises(UnwrapError):
        unwrap(wrapping_key(), blob)


def test_hash_names() -> None:
    assert oaep_hash("sha384") == "sha2-384"
    with pytest.raises(KeyFormatError):
        oaep_hash("md5")
