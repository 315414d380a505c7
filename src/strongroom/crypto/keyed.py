"""A reusable HMAC-SHA256 key for hot paths (audit redaction).

The key schedule is computed once; each digest costs one context copy, about a microsecond. Use
`hashing.hmac_sha256` for one-off MACs.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC


class HmacSha256Key:
    __slots__ = ("_base",)

    def __init__(self, key: bytes) -> None:
        self._base = HMAC(key, hashes.SHA256())

    def hexdigest(self, data: bytes) -> str:
        mac = self._base.copy()
        mac.update(data)
        return mac.finalize().hex()
