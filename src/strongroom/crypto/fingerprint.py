"""Wire fingerprints for the scanner's managed-secret check (docs/scan-fingerprints.md).

`F(v) = base64url_nopad(HMAC-SHA256(SHA-256(DOMAIN), v.strip()))`. The key is public: it only makes `F`
specific to this protocol, so a fingerprint is never a plain hash found in other systems or tables.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC

from strongroom.crypto.hashing import sha256

DOMAIN = b"strongroom-scan-fingerprint-v1"
FINGERPRINT_LENGTH = 43  # base64url of 32 bytes, without padding

# The key schedule is computed once; each fingerprint costs one context copy.
_BASE = HMAC(sha256(DOMAIN), hashes.SHA256())


def scan_fingerprint(value: str) -> str:
    """F(value): surrounding whitespace is stripped, nothing else is normalised."""
    mac = _BASE.copy()
    mac.update(value.strip().encode())
    return base64.urlsafe_b64encode(mac.finalize()).rstrip(b"=").decode()
