"""Bring-your-own-key wrapping as Vault's transit import does it: the caller wraps a fresh AES-256 key with our
RSA-4096 wrapping key (RSA-OAEP), and the key material with that AES key (AES key wrap with padding, RFC 5649).
The blob is `RSA-OAEP(ephemeral) || KWP(ephemeral, material)`."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap_with_padding, aes_key_wrap_with_padding

from strongroom.crypto.asymmetric import KeyFormatError, PrivateKey, PublicKey

OAEP_HASHES = {"SHA1": "sha1", "SHA224": "sha2-224", "SHA256": "sha2-256", "SHA384": "sha2-384", "SHA512": "sha2-512"}


class UnwrapError(ValueError):
    """The wrapped key did not open; deliberately says nothing about why."""


def oaep_hash(name: str) -> str:
    """Vault's hash_function names (SHA256, ...) to ours; raises KeyFormatError for an unknown one."""
    try:
        return OAEP_HASHES[name.upper()]
    except KeyError:
        raise KeyFormatError(f"unknown hash function: {name}") from None


def unwrap(wrapping_key: PrivateKey, blob: bytes, hash_function: str = "SHA256") -> bytes:
    size = wrapping_key.size_bytes
    if len(blob) <= size:
        raise UnwrapError("provided ciphertext is too short")
    try:
        ephemeral = wrapping_key.decrypt(blob[:size], oaep_hash(hash_function))
        if len(ephemeral) != 32:
            raise UnwrapError("expected ephemeral AES key to be 256-bit")
        return aes_key_unwrap_with_padding(ephemeral, blob[size:])
    except (ValueError, InvalidUnwrap):
        raise UnwrapError("failed to unwrap the key material") from None


def wrap(wrapping_key: PublicKey, material: bytes, hash_function: str = "SHA256") -> bytes:
    """What a client does before importing (used by tests and tools)."""
    ephemeral = os.urandom(32)
    return wrapping_key.encrypt(ephemeral, oaep_hash(hash_function)) + aes_key_wrap_with_padding(ephemeral, material)
