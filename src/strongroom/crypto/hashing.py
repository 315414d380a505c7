"""Keyed and plain hashes, constant-time comparison, and the hash algorithms offered by sys/tools/hash."""

from __future__ import annotations

import hmac as _hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC

_ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha2-224": hashes.SHA224,
    "sha2-256": hashes.SHA256,
    "sha2-384": hashes.SHA384,
    "sha2-512": hashes.SHA512,
    "sha3-224": hashes.SHA3_224,
    "sha3-256": hashes.SHA3_256,
    "sha3-384": hashes.SHA3_384,
    "sha3-512": hashes.SHA3_512,
}

HASH_ALGORITHMS: tuple[str, ...] = tuple(_ALGORITHMS)


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    mac = HMAC(key, hashes.SHA256())
    mac.update(data)
    return mac.finalize()


def digest(algorithm: str, data: bytes) -> bytes:
    """Hash with a named algorithm; raises KeyError for an unknown name."""
    h = hashes.Hash(_ALGORITHMS[algorithm]())
    h.update(data)
    return h.finalize()


def sha256(data: bytes) -> bytes:
    return digest("sha2-256", data)


def equal(a: bytes | str, b: bytes | str) -> bool:
    """Constant-time comparison for secrets."""
    left = a.encode() if isinstance(a, str) else a
    right = b.encode() if isinstance(b, str) else b
    return _hmac.compare_digest(left, right)
