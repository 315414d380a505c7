"""A key as `GET transit/keys/<name>` shows it (Vault's formatKeyPolicy)."""

from __future__ import annotations

from typing import Any

from strongroom.crypto.asymmetric import curve_name
from strongroom.keys import Keyring
from strongroom.sdk.clock import rfc3339


def key_info(ring: Keyring, context: bytes | None = None) -> dict[str, Any]:
    key = ring.key
    kind = key.kind
    data: dict[str, Any] = {
        "name": key.name,
        "type": key.type,
        "derived": key.derived,
        "deletion_allowed": key.deletion_allowed,
        "min_available_version": key.min_available_version,
        "min_decryption_version": key.min_decryption_version,
        "min_encryption_version": key.min_encryption_version,
        "latest_version": key.latest_version,
        "exportable": key.exportable,
        "allow_plaintext_backup": key.allow_plaintext_backup,
        "supports_encryption": kind.encryption,
        "supports_decryption": kind.encryption,
        "supports_signing": kind.signing,
        "supports_derivation": kind.derivation,
        "auto_rotate_period": key.auto_rotate_period,
        "imported_key": key.imported,
        "soft_deleted": False,
        # Strongroom extensions (used by the KMS face).
        "disabled": key.disabled,
        "custom_metadata": dict(key.custom_metadata),
    }
    if key.delete_after:
        data["delete_after"] = rfc3339(key.delete_after)
    if key.key_size:
        data["key_size"] = key.key_size
    if key.imported:
        data["imported_key_allow_rotation"] = key.allow_rotation
    if key.backup_info is not None:
        data["backup_info"] = dict(key.backup_info)
    if key.restore_info is not None:
        data["restore_info"] = dict(key.restore_info)
    if key.derived:
        data["kdf"] = "hkdf_sha256"
        data["convergent_encryption"] = key.convergent_encryption
        if key.convergent_encryption:
            data["convergent_encryption_version"] = -1
    visible = [v for v in key.versions if v.number >= key.min_decryption_version]
    # Extension: every live version's creation time and how it came to be (the KMS face lists rotations).
    data["key_versions"] = {str(v.number): {"creation_time": rfc3339(v.created), "origin": v.origin}
                            for v in key.versions}
    if kind.family in ("aead", "hmac"):
        data["keys"] = {str(v.number): int(v.created) for v in visible}
    else:
        data["keys"] = {str(v.number): _public_entry(ring, v.number, v.created, context) for v in visible}
    return data


def _public_entry(ring: Keyring, number: int, created: float, context: bytes | None) -> dict[str, Any]:
    key = ring.key
    public = ""
    if not key.derived or context:
        public = ring.public(number, context).display()
    return {"certificate_chain": "", "creation_time": rfc3339(created), "name": curve_name(key.type),
            "public_key": public}
