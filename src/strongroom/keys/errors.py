"""The key service's errors: sdk error classes, so every engine maps them to statuses the same way."""

from __future__ import annotations

from strongroom.sdk.errors import InvalidRequest

DECRYPTION_FAILED = "cipher: message authentication failed"
"""The one message for every decryption failure: malformed, tampered, wrong key, wrong context, trimmed or
disallowed version. Distinct messages would be an oracle (ASVS 11.2.5)."""

MISSING_CONTEXT = (
    "missing 'context' for key derivation; the key was created using a derived key, which means additional, "
    "per-request information must be included in order to perform operations with the key"
)


class DecryptionFailed(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(DECRYPTION_FAILED)


class KeyDisabled(InvalidRequest):
    """The key exists but refuses cryptographic use (disabled, or scheduled for deletion)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"key {name} is disabled")


class UsageExhausted(InvalidRequest):
    """A pinned, older key version reached its encryption bound; the latest version rotates automatically."""

    def __init__(self) -> None:
        super().__init__("the requested key version has reached its encryption limit; use the latest version")
