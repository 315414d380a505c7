"""A key's ready-to-use form: cipher, signing and MAC objects built once per key version and reused.

`Keyring` is derived from one stored record (`record`, the exact bytes it was parsed from) and never changes;
when the record changes, the key service builds a new Keyring. Derived keys (HKDF per context) are cached per
(version, context), bounded, because callers repeat contexts.
"""

from __future__ import annotations

from strongroom.crypto.asymmetric import PrivateKey, PublicKey
from strongroom.crypto.kdf import hkdf_sha256
from strongroom.crypto.mac import MacKey
from strongroom.crypto.symmetric import DataCipher
from strongroom.keys.key import Key, KeyVersion

_DERIVED_CACHE_LIMIT = 512


class Keyring:
    __slots__ = ("_ciphers", "_derived", "_macs", "_nonce_keys", "_private", "key", "memo", "record")

    def __init__(self, key: Key, record: bytes) -> None:
        self.key = key
        self.record = record
        self._ciphers: dict[int, DataCipher] = {}
        self._derived: dict[tuple[int, bytes], object] = {}
        self._private: dict[int, PrivateKey] = {}
        self._macs: dict[tuple[int, str], MacKey] = {}
        self._nonce_keys: dict[int, MacKey] = {}
        # Objects the key service derives from this exact key value (encryptors per version).
        self.memo: dict[tuple[str, int], object] = {}

    def _version(self, number: int) -> KeyVersion:
        version = self.key.version(number)
        if version is None:
            raise LookupError(number)
        return version

    def _derive(self, number: int, context: bytes, build: type[DataCipher] | type[PrivateKey]) -> object:
        slot = (number, context)
        found = self._derived.get(slot)
        if found is None:
            if len(self._derived) >= _DERIVED_CACHE_LIMIT:
                self._derived.clear()
            kind = self.key.kind
            if build is DataCipher:
                found = DataCipher(kind.cipher, hkdf_sha256(self._version(number).material, context, kind.size))
            else:
                seed = PrivateKey.load("ed25519", self._version(number).material).ed25519_seed()
                found = PrivateKey.from_ed25519_seed(hkdf_sha256(seed, context, 32))
            self._derived[slot] = found
        return found

    def cipher(self, number: int, context: bytes | None = None) -> DataCipher:
        """The AEAD for a version (derived from `context` when the key is derived). LookupError if trimmed."""
        if self.key.derived:
            derived = self._derive(number, context or b"", DataCipher)
            assert isinstance(derived, DataCipher)
            return derived
        cipher = self._ciphers.get(number)
        if cipher is None:
            cipher = self._ciphers[number] = DataCipher(self.key.kind.cipher, self._version(number).material)
        return cipher

    def nonce_key(self, number: int) -> MacKey:
        """The per-version HMAC key that derives convergent nonces."""
        found = self._nonce_keys.get(number)
        if found is None:
            found = self._nonce_keys[number] = MacKey(self._version(number).hmac_key)
        return found

    def private(self, number: int, context: bytes | None = None) -> PrivateKey:
        if self.key.derived:
            derived = self._derive(number, context or b"", PrivateKey)
            assert isinstance(derived, PrivateKey)
            return derived
        found = self._private.get(number)
        if found is None:
            found = self._private[number] = PrivateKey.load(self.key.type, self._version(number).material)
        return found

    def public(self, number: int, context: bytes | None = None) -> PublicKey:
        return self.private(number, context).public

    def mac(self, number: int, algorithm: str) -> MacKey:
        """HMAC under the version's HMAC key (the key itself for hmac-type keys). KeyError: unknown algorithm."""
        slot = (number, algorithm)
        found = self._macs.get(slot)
        if found is None:
            version = self._version(number)
            material = version.material if self.key.type == "hmac" else version.hmac_key
            found = self._macs[slot] = MacKey(material, algorithm)
        return found
