"""Init and unseal with Shamir shares of the unseal key.

With one share the share is the raw 32-byte key (Vault's behaviour); otherwise shares are 33 bytes (key share
plus x-coordinate). Progress keeps submitted shares in memory only until the threshold is reached or reset.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

import orjson

from strongroom.core.barrier.barrier import SEAL_CONFIG_PATH, Barrier, BarrierError
from strongroom.crypto import shamir
from strongroom.crypto.aead import generate_key
from strongroom.crypto.hashing import equal
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import InvalidRequest


@dataclass(frozen=True)
class SealConfig:
    shares: int
    threshold: int

    def serialize(self) -> bytes:
        return orjson.dumps({"secret_shares": self.shares, "secret_threshold": self.threshold})


@dataclass
class UnsealProgress:
    nonce: str = ""
    parts: list[bytes] = field(default_factory=list)


def validate(shares: int, threshold: int) -> None:
    if shares < 1 or shares > 255:
        raise InvalidRequest("secret_shares must be between 1 and 255")
    if threshold < 1:
        raise InvalidRequest("threshold must be at least one")
    if threshold > shares:
        raise InvalidRequest("threshold cannot be larger than shares")
    if shares > 1 and threshold < 2:
        raise InvalidRequest("threshold must be greater than one for multiple shares")


def decode_share(text: str) -> bytes:
    """Shares arrive as hex or base64, as Vault accepts them."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest("invalid key: not hex or base64") from None
    if len(raw) < 16:
        raise InvalidRequest("invalid key: key is shorter than minimum 16 bytes")
    if len(raw) > 33:
        raise InvalidRequest("invalid key: key is longer than maximum 33 bytes")
    return raw


class ShamirSeal:
    def __init__(self, barrier: Barrier) -> None:
        self.barrier = barrier
        self.progress = UnsealProgress()

    def config(self) -> SealConfig | None:
        raw = self.barrier.physical.get(SEAL_CONFIG_PATH)
        if raw is None:
            return None
        data = orjson.loads(raw)
        return SealConfig(data["secret_shares"], data["secret_threshold"])

    def initialize(self, shares: int, threshold: int, now: float) -> list[bytes]:
        """Create the barrier keys; returns the unseal key shares."""
        validate(shares, threshold)
        unseal_key = generate_key()
        self.barrier.initialize(unseal_key, now)
        self.barrier.physical.put(SEAL_CONFIG_PATH, SealConfig(shares, threshold).serialize())
        if shares == 1:
            return [unseal_key]
        return shamir.split(unseal_key, shares, threshold)

    def reset(self) -> None:
        self.progress = UnsealProgress()

    def submit(self, share: bytes) -> bytes | None:
        """Add one share; returns the unseal key once the barrier is unsealed by it, else None.
        A wrong set of shares resets progress."""
        config = self.config()
        if config is None:
            raise InvalidRequest("Vault is not initialized")
        if any(equal(share, part) for part in self.progress.parts):
            return None
        if not self.progress.parts:
            self.progress.nonce = new_uuid()
        self.progress.parts.append(share)
        if len(self.progress.parts) < config.threshold:
            return None
        parts, self.progress = self.progress.parts, UnsealProgress()
        try:
            key = parts[0] if config.threshold == 1 else shamir.combine(parts)
            self.barrier.unseal(key)
        except (BarrierError, shamir.ShamirError, ValueError) as exc:
            raise InvalidRequest(f"unable to retrieve stored keys: invalid key: {exc}") from None
        return key
