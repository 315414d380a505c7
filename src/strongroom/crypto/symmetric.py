"""Data ciphers for named keys: AES-GCM (128 or 256-bit keys) and ChaCha20-Poly1305, 96-bit nonces, 16-byte tags.

A sealed blob is `nonce || ciphertext || tag`. Nonces come from the OS CSPRNG, except in convergent mode, where
the nonce is an HMAC of the key's nonce key over the context, the associated data and the plaintext: the same
inputs give the same blob, and no caller ever chooses a nonce. Every failure to open raises the bare
`InvalidCiphertext` from `aead`.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

from strongroom.crypto.aead import InvalidCiphertext
from strongroom.crypto.mac import MacKey

NONCE_BYTES = 12
TAG_BYTES = 16
ALGORITHMS = ("aes-gcm", "chacha20-poly1305")
_LENGTH = struct.Struct(">Q")

__all__ = ["ALGORITHMS", "NONCE_BYTES", "TAG_BYTES", "DataCipher", "InvalidCiphertext", "generate_key"]


def generate_key(size: int) -> bytes:
    return os.urandom(size)


class DataCipher:
    """One key, ready to seal and open; the cipher object is built once and reused for every call."""

    __slots__ = ("_decrypt", "_encrypt")

    def __init__(self, algorithm: str, key: bytes) -> None:
        if algorithm == "aes-gcm":
            if len(key) not in (16, 32):
                raise ValueError("AES-GCM needs a 16 or 32-byte key")
            cipher: AESGCM | ChaCha20Poly1305 = AESGCM(key)
        elif algorithm == "chacha20-poly1305":
            cipher = ChaCha20Poly1305(key)
        else:
            raise ValueError(f"unknown cipher {algorithm}")
        self._encrypt = cipher.encrypt
        self._decrypt = cipher.decrypt

    def seal(self, plaintext: bytes, aad: bytes | None = None) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._encrypt(nonce, plaintext, aad)

    def seal_many(self, plaintexts: list[bytes], aads: list[bytes | None]) -> list[bytes]:
        """`seal` for a batch: the nonces come from one CSPRNG read, each slice used exactly once."""
        pool = os.urandom(NONCE_BYTES * len(plaintexts))
        encrypt = self._encrypt
        sealed = []
        for index, plaintext in enumerate(plaintexts):
            nonce = pool[index * NONCE_BYTES : (index + 1) * NONCE_BYTES]
            sealed.append(nonce + encrypt(nonce, plaintext, aads[index]))
        return sealed

    def seal_convergent(self, nonce_key: MacKey, context: bytes, plaintext: bytes, aad: bytes | None = None) -> bytes:
        """Deterministic: the nonce binds context, associated data and plaintext (lengths prefixed), so two
        different messages never share a nonce under one key."""
        aad_bytes = aad or b""
        material = b"".join((_LENGTH.pack(len(context)), context, _LENGTH.pack(len(aad_bytes)), aad_bytes, plaintext))
        nonce = nonce_key.digest(material)[:NONCE_BYTES]
        return nonce + self._encrypt(nonce, plaintext, aad)

    def open(self, blob: bytes, aad: bytes | None = None) -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise InvalidCiphertext()
        try:
            return self._decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise InvalidCiphertext() from None
