"""`KeyService`: the one entry point to named keys, for transit and (through transit paths) the KMS face.

Lifecycle: `create`, `get`, `names`, `rotate`, `configure`, `trim`, `delete`, `store` (restore/import).
Use: `encryptor` (then call it per item) / `encrypt`, `decrypt`, `sign`, `verify`, `hmac`, `verify_hmac`.
Housekeeping: `periodic(now)` rotates keys whose `auto_rotate_period` has passed and deletes keys whose
`delete_after` has passed. Encryptions are counted per key version (see usage.py); before a version reaches the
random-nonce bound, the next encryption with the latest version rotates the key first.

Every decryption failure raises `DecryptionFailed` with one message. A disabled key refuses every use with
`KeyDisabled`. Errors are sdk errors; messages never contain key material or plaintext.
"""

from __future__ import annotations

import binascii
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from strongroom.crypto.asymmetric import KeyFormatError, PrivateKey, PublicKey, SignOptions
from strongroom.crypto.mac import MacKey
from strongroom.crypto.symmetric import DataCipher, InvalidCiphertext
from strongroom.keys import ciphertext
from strongroom.keys.errors import MISSING_CONTEXT, DecryptionFailed, KeyDisabled, UsageExhausted
from strongroom.keys.key import KEY_TYPES, Key, KeyVersion
from strongroom.keys.keyring import Keyring
from strongroom.keys.store import KeyStore, check_name
from strongroom.keys.usage import USAGE_BLOCK, USAGE_LIMIT, UsageCounter
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import Storage

OAEP_HASHES = ("sha2-256", "sha1")
"""Hashes RSA-OAEP may use: SHA-256 is Vault's (and the default); SHA-1 is for the KMS face's RSAES_OAEP_SHA_1."""
HMAC_MIN_KEY_SIZE = 32
HMAC_MAX_KEY_SIZE = 512
MIN_AUTO_ROTATE = 3600
SCAN_INTERVAL = 10.0

__all__ = ["ConfigChange", "DecryptionFailed", "Encryptor", "KeyService", "NewKey", "new_material"]


@dataclass(frozen=True, slots=True)
class NewKey:
    """What to create. `key_size` is only for hmac keys (bytes, 32-512)."""

    type: str = "aes256-gcm96"
    derived: bool = False
    convergent_encryption: bool = False
    exportable: bool = False
    allow_plaintext_backup: bool = False
    auto_rotate_period: int = 0
    key_size: int = 0
    custom_metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConfigChange:
    """Fields left as None are unchanged. `exportable` and `allow_plaintext_backup` only ever turn on."""

    min_decryption_version: int | None = None
    min_encryption_version: int | None = None
    deletion_allowed: bool | None = None
    exportable: bool | None = None
    allow_plaintext_backup: bool | None = None
    auto_rotate_period: int | None = None
    disabled: bool | None = None
    delete_after: float | None = None
    custom_metadata: dict[str, str] | None = None


def new_material(key_type: str, key_size: int = 0) -> bytes:
    kind = KEY_TYPES[key_type]
    if kind.family == "aead":
        return os.urandom(kind.size)
    if kind.family == "hmac":
        return os.urandom(key_size or HMAC_MIN_KEY_SIZE)
    return PrivateKey.generate(key_type).pkcs8()


def validate_new(spec: NewKey) -> None:
    kind = KEY_TYPES.get(spec.type)
    if kind is None:
        raise InvalidRequest(f"unknown key type {spec.type}")
    if spec.convergent_encryption and not spec.derived:
        raise InvalidRequest("convergent encryption requires derivation to be enabled")
    if spec.derived and not kind.derivation:
        raise InvalidRequest(f"key derivation and convergent encryption not supported for keys of type {spec.type}")
    if spec.convergent_encryption and kind.family != "aead":
        raise InvalidRequest(f"convergent encryption not supported for keys of type {spec.type}")
    if spec.key_size:
        if kind.family != "hmac":
            raise InvalidRequest(f"key_size is not valid for algorithm {spec.type}")
        if not HMAC_MIN_KEY_SIZE <= spec.key_size <= HMAC_MAX_KEY_SIZE:
            raise InvalidRequest(f"invalid key_size {spec.key_size}")
    _check_rotate_period(spec.auto_rotate_period)


def _check_rotate_period(period: int) -> None:
    if period != 0 and period < MIN_AUTO_ROTATE:
        raise InvalidRequest("auto rotate period must be 0 to disable or at least an hour")


def check_oaep_hash(key: Key, oaep_hash: str) -> str:
    """The RSA-OAEP hash to use; any other than the default is refused for keys that are not RSA."""
    if oaep_hash not in OAEP_HASHES:
        raise InvalidRequest(f"unsupported hash_algorithm {oaep_hash} for RSA-OAEP; use sha2-256 or sha1")
    if oaep_hash != OAEP_HASHES[0] and key.kind.family != "rsa":
        raise InvalidRequest(f"hash_algorithm is only valid for RSA keys, not {key.type}")
    return oaep_hash


def usable(ring: Keyring) -> Key:
    key = ring.key
    if key.disabled:
        raise KeyDisabled(key.name)
    return key


class Encryptor:
    """Encrypts with one key version; built once per request (per batch), called once per item."""

    __slots__ = ("_cipher", "_convergent", "_derived", "_public", "number", "prefix", "ring")

    def __init__(self, ring: Keyring, number: int) -> None:
        self.ring = ring
        self.number = number
        self.prefix = f"{ciphertext.PREFIX}{number}:"
        key = ring.key
        self._derived = key.derived
        self._convergent = key.convergent_encryption
        self._public: PublicKey | None = ring.public(number) if key.kind.family == "rsa" else None
        self._cipher: DataCipher | None = None
        if key.kind.family == "aead" and not key.derived:
            self._cipher = ring.cipher(number)

    @property
    def batchable(self) -> bool:
        """Whether `many` may be used: items need no context and cannot fail one by one."""
        return self._cipher is not None

    def many(self, plaintexts: list[bytes], aads: list[bytes | None]) -> list[str]:
        """Encrypt a batch in one go (only when `batchable`)."""
        if self._cipher is None:
            raise ValueError("this key needs per-item encryption")
        prefix = self.prefix
        b2a = binascii.b2a_base64
        return [prefix + b2a(blob, newline=False).decode() for blob in self._cipher.seal_many(plaintexts, aads)]

    def __call__(self, plaintext: bytes, context: bytes | None = None, aad: bytes | None = None,
                 oaep_hash: str = "sha2-256") -> str:
        cipher = self._cipher
        if cipher is not None:
            blob = cipher.seal(plaintext, aad)
        elif self._public is not None:
            if aad:
                raise InvalidRequest(f"associated_data provided for non-AEAD cipher suite {self.ring.key.type}")
            try:
                blob = self._public.encrypt(plaintext, check_oaep_hash(self.ring.key, oaep_hash))
            except ValueError:
                raise InvalidRequest("plaintext is too long for the RSA key") from None
        else:
            if not context:
                raise InvalidRequest(MISSING_CONTEXT)
            derived = self.ring.cipher(self.number, context)
            if self._convergent:
                blob = derived.seal_convergent(self.ring.nonce_key(self.number), context, plaintext, aad)
            else:
                blob = derived.seal(plaintext, aad)
        return self.prefix + binascii.b2a_base64(blob, newline=False).decode()


class KeyService:
    def __init__(self, storage: Storage, clock: Clock, *, usage_limit: int = USAGE_LIMIT,
                 usage_block: int = USAGE_BLOCK) -> None:
        self.store = KeyStore(storage)
        self.clock = clock
        self.usage = UsageCounter(storage, limit=min(usage_limit, USAGE_LIMIT), block=usage_block)
        self._lock = threading.RLock()
        self._next_scan = 0.0

    # --- lifecycle -------------------------------------------------------------------------------------------
    def get(self, name: str) -> Keyring | None:
        return self.store.get(name)

    def names(self) -> list[str]:
        return self.store.names()

    def create(self, name: str, spec: NewKey) -> tuple[Keyring, bool]:
        """The key named `name`, creating it from `spec` if it does not exist (True when created). Of processes
        creating one name at once, one key wins and all of them get it."""
        check_name(name)
        validate_new(spec)
        existing = self.store.get(name)
        if existing is not None:
            return existing, False
        material = new_material(spec.type, spec.key_size)  # before the storage step: RSA generation is slow
        created = False

        def make(current: Key | None) -> Key:
            nonlocal created
            created = current is None
            if current is not None:
                return current
            version = KeyVersion(1, self.clock.now(), material, os.urandom(32))
            return Key(
                name=name, type=spec.type, versions=(version,), derived=spec.derived,
                convergent_encryption=spec.convergent_encryption, exportable=spec.exportable,
                allow_plaintext_backup=spec.allow_plaintext_backup, auto_rotate_period=spec.auto_rotate_period,
                key_size=spec.key_size or (HMAC_MIN_KEY_SIZE if spec.type == "hmac" else 0),
                custom_metadata=dict(spec.custom_metadata),
            )

        with self._lock:
            ring = self.store.modify(name, make)
        return ring, created

    def _require(self, name: str) -> Keyring:
        ring = self.store.get(name)
        if ring is None:
            raise InvalidRequest("key not found")
        return ring

    def modify(self, name: str, change: Callable[[Key], Key]) -> Keyring:
        """Apply `change` to the stored key atomically (see KeyStore.modify); "key not found" if it is gone."""
        def existing(current: Key | None) -> Key:
            if current is None:
                raise InvalidRequest("key not found")
            return change(current)

        with self._lock:
            return self.store.modify(name, existing)

    def rotate(self, name: str, origin: str = "rotated", *, when: Callable[[Key], bool] | None = None) -> Keyring:
        """A new latest version; with `when`, only if `when(key)` still holds for the stored key (so processes
        that decide to rotate at the same moment rotate once)."""
        key = self._require(name).key
        _check_rotatable(key)
        material = new_material(key.type, key.key_size)  # before the storage step: RSA generation is slow

        def rotated(current: Key) -> Key:
            _check_rotatable(current)
            if (current.type, current.key_size) != (key.type, key.key_size):
                raise InvalidRequest("the key was replaced while it was being rotated; try again")
            if when is not None and not when(current):
                return current
            return current.rotated(material, os.urandom(32), self.clock.now(), origin)

        return self.modify(name, rotated)

    def configure(self, name: str, change: ConfigChange) -> tuple[Keyring, list[str]]:
        warnings: list[str] = []

        def configured(current: Key) -> Key:
            key, found = _apply(current, change)
            warnings[:] = found
            return current if key == current else key

        return self.modify(name, configured), warnings

    def trim(self, name: str, min_available: int) -> Keyring:
        def trimmed(key: Key) -> Key:
            if min_available <= 0:
                raise InvalidRequest("minimum available version should be positive")
            if min_available < key.min_available_version:
                raise InvalidRequest("minimum available version cannot be decremented")
            if min_available > key.min_decryption_version:
                raise InvalidRequest("minimum available version should not be greater than minimum decryption version")
            if key.min_encryption_version and min_available > key.min_encryption_version:
                raise InvalidRequest("minimum available version should not be greater than minimum encryption version")
            return key.trimmed(min_available)

        return self.modify(name, trimmed)

    def delete(self, name: str, *, force: bool = False) -> None:
        with self._lock:
            ring = self.store.get(name)
            if ring is None:
                raise InvalidRequest("could not delete key; not found")
            if not ring.key.deletion_allowed and not force:
                raise InvalidRequest("deletion is not allowed for this key")
            self.store.delete(name)
            self.usage.forget(name)

    # --- encryption ------------------------------------------------------------------------------------------
    def encryptor(self, ring: Keyring, version: int = 0, count: int = 1) -> Encryptor:
        """An encryptor for `version` (0: the latest) that may be called `count` times. Rotates first when the
        latest version would pass its encryption bound."""
        key = usable(ring)
        if not key.kind.encryption:
            raise InvalidRequest(f"key type {key.type} does not support encryption")
        number = _encryption_version(key, version)
        if key.kind.family == "aead":
            if self.usage.would_exceed(key.name, number, count):
                if version:
                    # A pinned version is never silently replaced; the latest still rotates for everyone else.
                    if number == key.latest_version:
                        self.rotate(key.name, origin="usage-rotated", when=_still_latest(number))
                    raise UsageExhausted()
                ring = self.rotate(key.name, origin="usage-rotated", when=_still_latest(number))
                number = ring.key.latest_version
                if self.usage.would_exceed(key.name, number, count):
                    raise UsageExhausted()
            self.usage.consume(key.name, number, count)
        found = ring.memo.get(("encryptor", number))
        if found is None:
            found = ring.memo[("encryptor", number)] = Encryptor(ring, number)
        assert isinstance(found, Encryptor)
        return found

    def encrypt(self, ring: Keyring, plaintext: bytes, *, context: bytes | None = None, aad: bytes | None = None,
                version: int = 0, oaep_hash: str = "sha2-256") -> tuple[str, int]:
        encryptor = self.encryptor(ring, version)
        return encryptor(plaintext, context, aad, oaep_hash), encryptor.number

    def decrypt(self, ring: Keyring, text: str, *, context: bytes | None = None,
                aad: bytes | None = None, oaep_hash: str = "sha2-256") -> tuple[bytes, int]:
        """(plaintext, version). Any failure about the ciphertext raises DecryptionFailed."""
        key = usable(ring)
        family = key.kind.family
        if family not in ("aead", "rsa"):
            raise InvalidRequest(f"key type {key.type} does not support decryption")
        check_oaep_hash(key, oaep_hash)
        if key.derived and not context:
            raise InvalidRequest(MISSING_CONTEXT)
        try:
            number, blob = ciphertext.decode(text)
        except ValueError:
            raise DecryptionFailed() from None
        if number < key.min_decryption_version or key.version(number) is None:
            raise DecryptionFailed()
        try:
            if family == "aead":
                return ring.cipher(number, context).open(blob, aad), number
            if aad:
                raise DecryptionFailed()
            return ring.private(number).decrypt(blob, oaep_hash), number
        except (InvalidCiphertext, ValueError):
            raise DecryptionFailed() from None

    # --- signatures and MACs ---------------------------------------------------------------------------------
    def sign(self, ring: Keyring, data: bytes, options: SignOptions, *, version: int = 0,
             context: bytes | None = None) -> tuple[str, int]:
        key = usable(ring)
        if not key.kind.signing:
            raise InvalidRequest(f"key type {key.type} does not support signing")
        if key.derived and not context:
            raise InvalidRequest(MISSING_CONTEXT)
        number = version or key.latest_version
        if number < key.min_encryption_version or key.version(number) is None:
            raise InvalidRequest("requested version for signing is not available or disallowed by policy")
        try:
            signature = ring.private(number, context).sign(data, options)
        except KeyFormatError as exc:
            raise InvalidRequest(str(exc)) from None
        if options.marshaling == "jws":
            return ciphertext.encode_url(number, signature), number
        return ciphertext.encode(number, signature), number

    def verify(self, ring: Keyring, data: bytes, signature: str, options: SignOptions, *,
               context: bytes | None = None) -> bool:
        key = usable(ring)
        if not key.kind.signing:
            raise InvalidRequest(f"key type {key.type} does not support verification")
        if key.derived and not context:
            raise InvalidRequest(MISSING_CONTEXT)
        try:
            number, raw = (ciphertext.decode_url if options.marshaling == "jws" else ciphertext.decode)(signature)
        except ValueError:
            raise InvalidRequest("invalid signature") from None
        _check_verify_version(key, number)
        try:
            return ring.public(number, context).verify(data, raw, options)
        except KeyFormatError as exc:
            raise InvalidRequest(str(exc)) from None

    def hmac(self, ring: Keyring, data: bytes, algorithm: str, *, version: int = 0) -> tuple[str, int]:
        key = usable(ring)
        number = version or key.latest_version
        if number > key.latest_version or key.version(number) is None:
            raise InvalidRequest("cannot generate HMAC: version is too new or no longer available")
        if number < key.min_encryption_version:
            raise InvalidRequest("cannot generate HMAC: version is too old (disallowed by policy)")
        return ciphertext.encode(number, _mac(ring, number, algorithm).digest(data)), number

    def verify_hmac(self, ring: Keyring, data: bytes, mac: str, algorithm: str) -> bool:
        key = usable(ring)
        try:
            number, raw = ciphertext.decode(mac)
        except ValueError:
            raise InvalidRequest("invalid HMAC") from None
        _check_verify_version(key, number)
        return _mac(ring, number, algorithm).verify(data, raw)

    # --- housekeeping ----------------------------------------------------------------------------------------
    def periodic(self, now: float) -> list[str]:
        """Auto-rotation and scheduled deletion; scans at most every SCAN_INTERVAL seconds. Returns the names
        of the keys it changed."""
        if now < self._next_scan:
            return []
        self._next_scan = now + SCAN_INTERVAL
        changed = []
        for name in self.names():
            ring = self.store.get(name)
            if ring is None:
                continue
            key = ring.key
            try:
                if key.delete_after and now >= key.delete_after:
                    self.delete(name, force=True)
                    changed.append(name)
                elif self._rotation_due(key, now):
                    self.rotate(name, origin="auto-rotated", when=lambda current: self._rotation_due(current, now))
                    changed.append(name)
            except InvalidRequest:
                continue  # deleted or replaced by another process since the scan read it
        return changed


    @staticmethod
    def _rotation_due(key: Key, now: float) -> bool:
        if not key.auto_rotate_period or (key.imported and not key.allow_rotation):
            return False
        return now - key.latest.created >= key.auto_rotate_period


def _check_rotatable(key: Key) -> None:
    if key.imported and not key.allow_rotation:
        raise InvalidRequest(f"imported key {key.name} does not allow rotation within Vault")


def _still_latest(number: int) -> Callable[[Key], bool]:
    return lambda key: key.latest_version == number


def _mac(ring: Keyring, number: int, algorithm: str) -> MacKey:
    try:
        return ring.mac(number, algorithm)
    except KeyError:
        raise InvalidRequest(f"unsupported algorithm {algorithm}") from None


def _check_verify_version(key: Key, number: int) -> None:
    if number < key.min_decryption_version:
        raise InvalidRequest("ciphertext or signature version is disallowed by policy (too old)")
    if key.version(number) is None:
        raise InvalidRequest("invalid signature version")


def _encryption_version(key: Key, version: int) -> int:
    if version == 0:
        return key.latest_version
    if version < 0 or version < key.min_encryption_version:
        raise InvalidRequest("requested version for encryption is less than the minimum encryption key version")
    if version > key.latest_version:
        raise InvalidRequest("requested version for encryption is higher than the latest key version")
    if key.version(version) is None:
        raise InvalidRequest("requested version for encryption is no longer available")
    return version


def _apply(key: Key, change: ConfigChange) -> tuple[Key, list[str]]:
    """Vault's config rules (path_keys_config.go), as a pure function."""
    warnings: list[str] = []
    updates: dict[str, Any] = {}
    if change.min_decryption_version is not None:
        wanted = change.min_decryption_version
        if wanted < 0:
            raise InvalidRequest("min decryption version cannot be negative")
        if wanted == 0:
            wanted = 1
            warnings.append("transit key numbering starts at 1; forcing minimum to 1")
        if wanted != key.min_decryption_version and wanted > key.latest_version:
            raise InvalidRequest(
                f"cannot set min decryption version of {wanted}, latest key version is {key.latest_version}")
        updates["min_decryption_version"] = wanted
    if change.min_encryption_version is not None:
        wanted = change.min_encryption_version
        if wanted < 0:
            raise InvalidRequest("min encryption version cannot be negative")
        if wanted != key.min_encryption_version and wanted > key.latest_version:
            raise InvalidRequest(
                f"cannot set min encryption version of {wanted}, latest key version is {key.latest_version}")
        updates["min_encryption_version"] = wanted
    min_dec = updates.get("min_decryption_version", key.min_decryption_version)
    min_enc = updates.get("min_encryption_version", key.min_encryption_version)
    if 0 < min_enc < min_dec:
        raise InvalidRequest(
            f"cannot set min encryption/decryption values; min encryption version of {min_enc} must be greater "
            f"than or equal to min decryption version of {min_dec}")
    if key.min_available_version > min_dec:
        raise InvalidRequest("min decryption version should not be less then min available version")
    if min_enc and key.min_available_version > min_enc:
        raise InvalidRequest("min encryption version should not be less than min available version")
    if change.auto_rotate_period is not None:
        _check_rotate_period(change.auto_rotate_period)
        updates["auto_rotate_period"] = change.auto_rotate_period
    if change.exportable:
        updates["exportable"] = True
    if change.allow_plaintext_backup:
        updates["allow_plaintext_backup"] = True
    for name in ("deletion_allowed", "disabled", "delete_after"):
        value = getattr(change, name)
        if value is not None:
            updates[name] = value
    if change.custom_metadata is not None:
        updates["custom_metadata"] = dict(change.custom_metadata)
    return key.configured(**updates), warnings
