"""AES-256-GCM with a random 96-bit nonce and caller-supplied associated data.

Every failure to open a blob raises the same bare `InvalidCiphertext`: no oracle about why.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16


class InvalidCiphertext(Exception):
    """The blob is malformed, was tampered with, or was sealed under another key or context."""


def generate_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


class Aead:
    """One AES-256-GCM key, ready to seal and open (the cipher object is built once)."""

    __slots__ = ("_cipher",)

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._cipher = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes = b"") -> bytes:
        """Returns nonce || ciphertext || tag."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, plaintext, aad)

    def open(self, blob: bytes, aad: bytes = b"") -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise InvalidCiphertext()
        try:
            return self._cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise InvalidCiphertext() from None


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    return Aead(key).seal(plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    return Aead(key).open(blob, aad)
