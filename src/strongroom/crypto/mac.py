"""HMAC with a named hash (Vault's names: sha2-256, sha3-512, ...), the key schedule computed once per key."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC

from strongroom.crypto.hashing import equal

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha2-224": hashes.SHA224,
    "sha2-256": hashes.SHA256,
    "sha2-384": hashes.SHA384,
    "sha2-512": hashes.SHA512,
    "sha3-224": hashes.SHA3_224,
    "sha3-256": hashes.SHA3_256,
    "sha3-384": hashes.SHA3_384,
    "sha3-512": hashes.SHA3_512,
}
MAC_ALGORITHMS: tuple[str, ...] = tuple(name for name in HASHES if name != "sha1")


class MacKey:
    __slots__ = ("_base",)

    def __init__(self, key: bytes, algorithm: str = "sha2-256") -> None:
        """Raises KeyError for an unknown algorithm name."""
        self._base = HMAC(key, HASHES[algorithm]())

    def digest(self, data: bytes) -> bytes:
        mac = self._base.copy()
        mac.update(data)
        return mac.finalize()

    def verify(self, data: bytes, candidate: bytes) -> bool:
        """Constant-time comparison against the expected MAC."""
        return equal(self.digest(data), candidate)
