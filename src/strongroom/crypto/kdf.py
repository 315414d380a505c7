"""Key derivation for derived transit keys: HKDF-SHA256 with no salt and the caller's context as info,
as Vault's `hkdf_sha256` KDF does."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def hkdf_sha256(key: bytes, context: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=context).derive(key)
