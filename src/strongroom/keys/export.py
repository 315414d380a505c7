"""Key material leaving or entering the service: export, plaintext backup and restore, and bring-your-own-key
import through the wrapping key (RSA-OAEP + AES key wrap with padding, as Vault's transit import).

Export and backup are refused unless the key allows them (`exportable`, `allow_plaintext_backup`); both flags
can only ever be turned on, so a key created non-exportable never leaves.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import replace

import orjson

from strongroom.crypto.asymmetric import KeyFormatError, PrivateKey
from strongroom.crypto.keywrap import UnwrapError, oaep_hash, unwrap
from strongroom.keys.key import KEY_TYPES, Key, KeyVersion
from strongroom.keys.keyring import Keyring
from strongroom.keys.operations import HMAC_MAX_KEY_SIZE, HMAC_MIN_KEY_SIZE, KeyService, NewKey, validate_new
from strongroom.keys.store import check_name
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import InvalidRequest

EXPORT_TYPES = ("encryption-key", "signing-key", "hmac-key", "public-key")
WRAPPING_KEY_PATH = "import/wrapping-key"
_BACKUP_FORMAT = "strongroom-transit-backup-1"
EXISTS_ON_IMPORT = ("the import path cannot be used with an existing key; use import-version to rotate an existing "
                    "imported key")


def _exported(ring: Keyring, version: KeyVersion, export_type: str, fmt: str) -> str:
    key = ring.key
    if export_type == "hmac-key":
        if fmt in ("der", "pem"):
            raise InvalidRequest("unknown format for HMAC key; supported values are `` or `raw`")
        material = version.material if key.type == "hmac" else version.hmac_key
        return base64.b64encode(material).decode()
    if key.kind.family == "aead":
        if fmt in ("der", "pem"):
            raise InvalidRequest("unknown format for symmetric key; supported values are `` or `raw`")
        return base64.b64encode(version.material).decode()
    private = ring.private(version.number)
    try:
        return private.public.export(fmt) if export_type == "public-key" else private.export(fmt)
    except KeyFormatError as exc:
        raise InvalidRequest(str(exc)) from None


def export_keys(ring: Keyring, export_type: str, fmt: str = "", version: str = "") -> dict[str, str]:
    """Vault's `export/<type>/<name>[/<version>]`: {version: encoded key}."""
    key = ring.key
    if export_type not in EXPORT_TYPES:
        raise InvalidRequest(f"invalid export type: {export_type}")
    if fmt not in ("", "raw", "der", "pem"):
        raise InvalidRequest(f"invalid format: {fmt}")
    if not key.exportable and export_type != "public-key":
        raise InvalidRequest("private key material is not exportable")
    if export_type == "encryption-key" and not key.kind.encryption:
        raise InvalidRequest("encryption not supported for the key")
    if export_type == "signing-key" and not key.kind.signing:
        raise InvalidRequest("signing not supported for the key")
    if export_type == "public-key" and not key.kind.asymmetric:
        raise InvalidRequest(f"unknown key type {key.type} for export type public-key")
    if version == "":
        return {str(v.number): _exported(ring, v, export_type, fmt) for v in key.versions}
    number = key.latest_version if version == "latest" else _version_number(version)
    if number < key.min_decryption_version:
        raise InvalidRequest("version for export is below minimum decryption version")
    found = key.version(number)
    if found is None:
        raise InvalidRequest("version does not exist or cannot be found")
    return {str(number): _exported(ring, found, export_type, fmt)}


def _version_number(text: str) -> int:
    digits = text.removeprefix("v")
    if not digits.isdigit():
        raise InvalidRequest("invalid key version")
    return int(digits)


# --- backup and restore -----------------------------------------------------------------------------------------
def backup(service: KeyService, name: str) -> str:
    """The whole key (every version) as one base64 string. Refused unless the key is exportable and allows
    plaintext backup: a 400 (Vault answers 500, but the caller asked for something the key forbids, which is a
    client error). Records when the backup was taken."""
    ring = service.get(name)
    if ring is None:
        raise InvalidRequest(f'key "{name}" not found')
    key = ring.key
    if not key.exportable:
        raise InvalidRequest("exporting is disallowed on the policy")
    if not key.allow_plaintext_backup:
        raise InvalidRequest("plaintext backup is disallowed on the policy")
    info = {"time": rfc3339(service.clock.now()), "version": key.latest_version}
    key = service.modify(name, lambda current: current.configured(backup_info=info)).key
    document = {"format": _BACKUP_FORMAT, "key": orjson.loads(key.to_bytes())}
    return base64.b64encode(orjson.dumps(document)).decode()


def restore(service: KeyService, blob: str, name: str = "", *, force: bool = False) -> Keyring:
    try:
        document = orjson.loads(base64.b64decode(blob, validate=True))
        if document.get("format") != _BACKUP_FORMAT:
            raise ValueError("format")
        key = Key.from_bytes(orjson.dumps(document["key"]))
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise InvalidRequest("failed to restore the backup: invalid backup data") from None
    key = replace(key, name=name or key.name)
    check_name(key.name)
    info = {"time": rfc3339(service.clock.now()), "version": key.latest_version}

    def restored(current: Key | None) -> Key:
        if current is not None and not force:
            raise InvalidRequest(f'key "{key.name}" already exists')
        return key.configured(restore_info=info)

    return service.store.modify(key.name, restored)


# --- bring your own key -----------------------------------------------------------------------------------------
def wrapping_key(service: KeyService) -> PrivateKey:
    """The mount's RSA-4096 wrapping key, made on first use."""
    storage = service.store.storage
    stored = storage.get(WRAPPING_KEY_PATH)
    if stored is None:
        private = PrivateKey.generate("rsa-4096")
        storage.put(WRAPPING_KEY_PATH, private.pkcs8())
        return private
    return PrivateKey.load("rsa-4096", stored)


def _unwrapped_material(service: KeyService, key_type: str, wrapped: str, hash_function: str) -> bytes:
    try:
        blob = base64.b64decode(wrapped, validate=True)
        material = unwrap(wrapping_key(service), blob, hash_function)
    except (binascii.Error, UnwrapError):
        raise InvalidRequest("failed to unwrap the imported key material") from None
    kind = KEY_TYPES[key_type]
    if kind.family == "aead" and len(material) != kind.size:
        raise InvalidRequest(f"key material has the wrong length for {key_type}")
    if kind.family == "hmac" and not HMAC_MIN_KEY_SIZE <= len(material) <= HMAC_MAX_KEY_SIZE:
        raise InvalidRequest("invalid key_size for an hmac key")
    if kind.asymmetric:
        try:
            material = PrivateKey.load(key_type, material).pkcs8()
        except KeyFormatError:
            raise InvalidRequest(f"key material is not a PKCS#8 {key_type} private key") from None
    return material


def import_key(service: KeyService, name: str, spec: NewKey, wrapped: str, *, hash_function: str = "SHA256",
               allow_rotation: bool = False) -> Keyring:
    """A new key from wrapped material (its version 1). Convergent encryption is refused, as in Vault."""
    check_name(name)
    if spec.convergent_encryption:
        raise InvalidRequest("import cannot be used on keys with convergent encryption enabled")
    if spec.auto_rotate_period and not allow_rotation:
        raise InvalidRequest("allow_rotation must be set to true if auto-rotation is enabled")
    validate_new(spec)
    if service.get(name) is not None:
        raise InvalidRequest(EXISTS_ON_IMPORT)
    try:
        hash_function = hash_function or "SHA256"
        oaep_hash(hash_function)
    except KeyFormatError as exc:
        raise InvalidRequest(str(exc)) from None
    material = _unwrapped_material(service, spec.type, wrapped, hash_function)
    version = KeyVersion(1, service.clock.now(), material, os.urandom(32), origin="imported")
    key = Key(
        name=name, type=spec.type, versions=(version,), derived=spec.derived, exportable=spec.exportable,
        allow_plaintext_backup=spec.allow_plaintext_backup, auto_rotate_period=spec.auto_rotate_period,
        key_size=len(material) if spec.type == "hmac" else 0, imported=True, allow_rotation=allow_rotation,
    )

    def new(current: Key | None) -> Key:
        if current is not None:
            raise InvalidRequest(EXISTS_ON_IMPORT)
        return key

    return service.store.modify(name, new)


def import_version(service: KeyService, name: str, wrapped: str, *, hash_function: str = "SHA256") -> Keyring:
    """A new latest version of an imported key from wrapped material."""
    ring = service.get(name)
    if ring is None:
        raise InvalidRequest(f"no key found with name {name}; to import a new key, use the import/ endpoint")
    key = ring.key
    if not key.imported:
        raise InvalidRequest("the import_version endpoint can only be used with an imported key")
    if key.convergent_encryption:
        raise InvalidRequest("import_version cannot be used on keys with convergent encryption enabled")
    try:
        oaep_hash(hash_function or "SHA256")
    except KeyFormatError as exc:
        raise InvalidRequest(str(exc)) from None
    material = _unwrapped_material(service, key.type, wrapped, hash_function or "SHA256")

    def rotated(current: Key) -> Key:
        if (current.type, current.imported) != (key.type, key.imported):
            raise InvalidRequest("the key was replaced while a version was being imported; try again")
        return current.rotated(material, os.urandom(32), service.clock.now(), origin="imported")

    return service.modify(name, rotated)
