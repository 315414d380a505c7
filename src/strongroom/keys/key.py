"""Immutable key values: a `Key` is a named key's whole policy and every live version of its material.

Updates return copies (`rotated`, `configured`, `trimmed`); nothing mutates a Key in place. Versions are
contiguous from `min_available_version` (or 1) to `latest_version`. Material is the raw key for symmetric and
HMAC types, and PKCS#8 DER for asymmetric types; every version also has its own HMAC key (for `hmac/` on
non-HMAC keys and the convergent nonce).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import orjson

_FORMAT = 1


@dataclass(frozen=True, slots=True)
class KeyType:
    """What a key type can do. `family` is "aead", "rsa", "ec", "ed25519" or "hmac"; `cipher` names the AEAD
    (for the aead family) and `size` its key length in bytes."""

    name: str
    family: str
    cipher: str = ""
    size: int = 0
    encryption: bool = False
    signing: bool = False
    derivation: bool = False

    @property
    def associated_data(self) -> bool:
        return self.family == "aead"

    @property
    def asymmetric(self) -> bool:
        return self.family in ("rsa", "ec", "ed25519")


def _aead(name: str, cipher: str, size: int) -> KeyType:
    return KeyType(name, "aead", cipher, size, encryption=True, derivation=True)


KEY_TYPES: Mapping[str, KeyType] = MappingProxyType({
    "aes128-gcm96": _aead("aes128-gcm96", "aes-gcm", 16),
    "aes256-gcm96": _aead("aes256-gcm96", "aes-gcm", 32),
    "chacha20-poly1305": _aead("chacha20-poly1305", "chacha20-poly1305", 32),
    "ed25519": KeyType("ed25519", "ed25519", signing=True, derivation=True),
    "ecdsa-p256": KeyType("ecdsa-p256", "ec", signing=True),
    "ecdsa-p384": KeyType("ecdsa-p384", "ec", signing=True),
    "ecdsa-p521": KeyType("ecdsa-p521", "ec", signing=True),
    "ecdsa-secp256k1": KeyType("ecdsa-secp256k1", "ec", signing=True),
    "rsa-2048": KeyType("rsa-2048", "rsa", encryption=True, signing=True),
    "rsa-3072": KeyType("rsa-3072", "rsa", encryption=True, signing=True),
    "rsa-4096": KeyType("rsa-4096", "rsa", encryption=True, signing=True),
    "hmac": KeyType("hmac", "hmac"),
})


@dataclass(frozen=True, slots=True)
class KeyVersion:
    """`origin` says how the version came to be: "generated", "rotated", "auto-rotated", "usage-rotated",
    "imported" or "restored" (the KMS face reports rotation types from it)."""

    number: int
    created: float
    material: bytes = field(repr=False)
    hmac_key: bytes = field(repr=False)
    origin: str = "generated"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "created": self.created, "origin": self.origin,
            "material": base64.b64encode(self.material).decode(), "hmac_key": base64.b64encode(self.hmac_key).decode(),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> KeyVersion:
        return cls(
            number=int(raw["number"]), created=float(raw["created"]), origin=str(raw.get("origin", "generated")),
            material=base64.b64decode(raw["material"]), hmac_key=base64.b64decode(raw["hmac_key"]),
        )


@dataclass(frozen=True, slots=True)
class Key:
    """A named key. `disabled` refuses every cryptographic use (the KMS face's Disabled and PendingDeletion
    states); `custom_metadata` is free-form string data stored with the key (the KMS face keeps description,
    usage, tags and deletion dates there); `delete_after` (epoch seconds, 0 = never) makes the periodic task
    delete the key once that time has passed."""

    name: str
    type: str
    versions: tuple[KeyVersion, ...] = field(repr=False)
    min_decryption_version: int = 1
    min_encryption_version: int = 0
    min_available_version: int = 0
    derived: bool = False
    convergent_encryption: bool = False
    exportable: bool = False
    allow_plaintext_backup: bool = False
    deletion_allowed: bool = False
    auto_rotate_period: int = 0
    key_size: int = 0
    imported: bool = False
    allow_rotation: bool = True
    disabled: bool = False
    delete_after: float = 0.0
    custom_metadata: Mapping[str, str] = field(default_factory=dict)
    backup_info: Mapping[str, Any] | None = None
    restore_info: Mapping[str, Any] | None = None

    @property
    def kind(self) -> KeyType:
        return KEY_TYPES[self.type]

    @property
    def latest_version(self) -> int:
        return self.versions[-1].number

    @property
    def latest(self) -> KeyVersion:
        return self.versions[-1]

    def version(self, number: int) -> KeyVersion | None:
        """The version numbered `number`, or None if it never existed or was trimmed away."""
        index = number - self.versions[0].number
        return self.versions[index] if 0 <= index < len(self.versions) else None

    def rotated(self, material: bytes, hmac_key: bytes, now: float, origin: str = "rotated") -> Key:
        version = KeyVersion(self.latest_version + 1, now, material, hmac_key, origin)
        return replace(self, versions=(*self.versions, version))

    def configured(self, **changes: Any) -> Key:
        return replace(self, **changes)

    def trimmed(self, min_available: int) -> Key:
        kept = tuple(v for v in self.versions if v.number >= min_available)
        return replace(self, versions=kept, min_available_version=min_available)

    def with_version_material(self, number: int, material: bytes) -> Key:
        """A copy whose version `number` carries new material (import_version of an existing version)."""
        versions = tuple(replace(v, material=material) if v.number == number else v for v in self.versions)
        return replace(self, versions=versions)

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "format": _FORMAT, "name": self.name, "type": self.type,
            "versions": [v.to_json() for v in self.versions],
            "min_decryption_version": self.min_decryption_version,
            "min_encryption_version": self.min_encryption_version,
            "min_available_version": self.min_available_version,
            "derived": self.derived, "convergent_encryption": self.convergent_encryption,
            "exportable": self.exportable, "allow_plaintext_backup": self.allow_plaintext_backup,
            "deletion_allowed": self.deletion_allowed, "auto_rotate_period": self.auto_rotate_period,
            "key_size": self.key_size, "imported": self.imported, "allow_rotation": self.allow_rotation,
            "disabled": self.disabled, "delete_after": self.delete_after,
            "custom_metadata": dict(self.custom_metadata),
            "backup_info": self.backup_info, "restore_info": self.restore_info,
        })

    @classmethod
    def from_bytes(cls, data: bytes) -> Key:
        raw = orjson.loads(data)
        if raw.get("format") != _FORMAT or raw.get("type") not in KEY_TYPES:
            raise ValueError("unknown key record format")
        return cls(
            name=raw["name"], type=raw["type"], versions=tuple(KeyVersion.from_json(v) for v in raw["versions"]),
            min_decryption_version=raw["min_decryption_version"],
            min_encryption_version=raw["min_encryption_version"],
            min_available_version=raw["min_available_version"],
            derived=raw["derived"], convergent_encryption=raw["convergent_encryption"],
            exportable=raw["exportable"], allow_plaintext_backup=raw["allow_plaintext_backup"],
            deletion_allowed=raw["deletion_allowed"], auto_rotate_period=raw["auto_rotate_period"],
            key_size=raw["key_size"], imported=raw["imported"], allow_rotation=raw["allow_rotation"],
            disabled=raw.get("disabled", False), delete_after=raw.get("delete_after", 0.0),
            custom_metadata={str(k): str(v) for k, v in (raw.get("custom_metadata") or {}).items()},
            backup_info=raw.get("backup_info"), restore_info=raw.get("restore_info"),
        )
