"""The AES-256-GCM barrier: everything the core persists passes through it.

Layout on the physical backend:
    core/seal-config    plaintext JSON: share count and threshold (no secret)
    core/root-key       the root key, sealed under the unseal key
    core/keyring        the keyring, sealed under the root key
    <anything else>     entries sealed under a keyring term

An entry is `version(1) || term(4, big endian) || nonce || ciphertext || tag`, and the storage path is the
associated data, so a blob copied to another path does not open. While sealed every call raises Sealed and
touches no storage.

Decrypted entries are cached in memory (bounded). Several server processes may share one storage: `sync()`
asks the physical backend which keys were committed since the last call (SQLite's change log, behind its cheap
data_version counter) and drops just those entries. When another process changed anything outside the data
prefixes (`QUIET_PREFIXES`: mount storage, tokens, leases, wrapped responses, which no listener caches), the
listeners (policy, identity and mount caches) are told to refresh.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterable

from strongroom.core.barrier.keyring import Keyring
from strongroom.crypto.aead import Aead, InvalidCiphertext
from strongroom.sdk.errors import Fault, Sealed
from strongroom.storage.base import Also, Delete, PhysicalBackend, Put, Write, also_writes

ROOT_KEY_PATH = "core/root-key"
KEYRING_PATH = "core/keyring"
SEAL_CONFIG_PATH = "core/seal-config"
_VERSION = 1
_HEADER = struct.Struct(">BI")
_CACHE_LIMIT = 50_000
_MISSING = object()
# Keys under these prefixes are data that only the barrier's own cache holds: a change there from another
# process needs no listener.
QUIET_PREFIXES = ("logical/", "auth/", "sys/token/", "sys/expire/", "sys/wrapping/")


class BarrierError(Exception):
    """The unseal key or root key did not open the stored keys."""


class Barrier:
    def __init__(self, physical: PhysicalBackend) -> None:
        self.physical = physical
        self._keyring: Keyring | None = None
        self._ciphers: dict[int, Aead] = {}
        self._active: tuple[int, Aead] | None = None
        self.encryptions = 0
        self._lock = threading.Lock()
        self._cache: dict[str, bytes | None] = {}
        # Bumped whenever sync() drops entries, so a read that raced with it does not cache what it fetched.
        self._generation = 0
        self.on_external_change: list[Callable[[], None]] = []

    # --- lifecycle -------------------------------------------------------------------------------------
    @property
    def sealed(self) -> bool:
        return self._keyring is None

    def initialized(self) -> bool:
        return self.physical.get(KEYRING_PATH) is not None

    def initialize(self, unseal_key: bytes, now: float) -> None:
        """Create a root key and keyring, stored under `unseal_key`. Leaves the barrier sealed."""
        if self.initialized():
            raise BarrierError("already initialized")
        keyring = Keyring.new(now)
        sealed_root = Aead(unseal_key).seal(keyring.root_key, ROOT_KEY_PATH.encode())
        sealed_ring = Aead(keyring.root_key).seal(keyring.serialize(), KEYRING_PATH.encode())
        self.physical.batch([Put(ROOT_KEY_PATH, sealed_root), Put(KEYRING_PATH, sealed_ring)])

    def unseal(self, unseal_key: bytes) -> None:
        sealed_root = self.physical.get(ROOT_KEY_PATH)
        sealed_ring = self.physical.get(KEYRING_PATH)
        if sealed_root is None or sealed_ring is None:
            raise BarrierError("not initialized")
        try:
            root_key = Aead(unseal_key).open(sealed_root, ROOT_KEY_PATH.encode())
            ring = Keyring.deserialize(root_key, Aead(root_key).open(sealed_ring, KEYRING_PATH.encode()))
        except (InvalidCiphertext, ValueError):
            raise BarrierError("failed to decrypt keys from storage: message authentication failed") from None
        self._install(ring)

    def seal(self) -> None:
        with self._lock:
            self._keyring = None
            self._ciphers = {}
            self._active = None
            self._cache = {}

    def sync(self) -> None:
        """Drop the cached entries that were committed since the last call (by anyone: this process's own
        writes too, which heals a cache entry that lost a race between two writers of one key)."""
        poll = getattr(self.physical, "poll_changes", None)
        changes = poll() if poll is not None else None
        if changes is None:
            return
        self._generation += 1
        if changes.keys is None:
            self._cache = {}
        else:
            for key in changes.keys:
                self._cache.pop(key, None)
        if changes.foreign and (changes.keys is None or not all(k.startswith(QUIET_PREFIXES) for k in changes.keys)):
            for listener in self.on_external_change:
                listener()

    def _install(self, ring: Keyring) -> None:
        with self._lock:
            self._keyring = ring
            self._ciphers = ring.ciphers()
            self._active = (ring.active.number, self._ciphers[ring.active.number])

    def keyring(self) -> Keyring:
        if self._keyring is None:
            raise Sealed()
        return self._keyring

    def rotate(self, now: float) -> int:
        """Add a new term; new writes use it, old entries still open. Returns the new term number."""
        ring = self.keyring().rotated(now)
        sealed_ring = Aead(ring.root_key).seal(ring.serialize(), KEYRING_PATH.encode())
        self.physical.put(KEYRING_PATH, sealed_ring)
        self._install(ring)
        self.encryptions = 0
        return ring.active.number

    def reload_keyring(self) -> None:
        """Pick up a rotation made by another server process sharing the storage."""
        ring = self.keyring()
        sealed_ring = self.physical.get(KEYRING_PATH)
        if sealed_ring is not None:
            plain = Aead(ring.root_key).open(sealed_ring, KEYRING_PATH.encode())
            self._install(Keyring.deserialize(ring.root_key, plain))

    # --- storage protocol -------------------------------------------------------------------------------
    def _encrypt(self, key: str, value: bytes) -> bytes:
        active = self._active
        if active is None:
            raise Sealed()
        term, cipher = active
        self.encryptions += 1
        return _HEADER.pack(_VERSION, term) + cipher.seal(value, key.encode())

    def _decrypt(self, key: str, blob: bytes) -> bytes:
        if self._active is None:
            raise Sealed()
        version, term = _HEADER.unpack_from(blob)
        cipher = self._ciphers.get(term)
        if cipher is None and version == _VERSION:
            self.reload_keyring()
            cipher = self._ciphers.get(term)
        if version != _VERSION or cipher is None:
            raise Fault(f"storage entry {key!r} has an unknown format or key term")
        try:
            return cipher.open(blob[_HEADER.size :], key.encode())
        except InvalidCiphertext:
            raise Fault(f"storage entry {key!r} failed authentication") from None

    def get(self, key: str) -> bytes | None:
        if self._active is None:
            raise Sealed()
        cached = self._cache.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        generation = self._generation
        blob = self.physical.get(key)
        value = None if blob is None else self._decrypt(key, blob)
        if generation == self._generation:
            self._remember(key, value)
        return value

    def _remember(self, key: str, value: bytes | None) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache = {}
        self._cache[key] = value

    def put(self, key: str, value: bytes) -> None:
        self._cache.pop(key, None)
        self.physical.put(key, self._encrypt(key, value))
        self._remember(key, value)

    def delete(self, key: str) -> None:
        if self._active is None:
            raise Sealed()
        self._cache.pop(key, None)
        self.physical.delete(key)
        self._remember(key, None)

    def list(self, prefix: str) -> list[str]:
        if self._active is None:
            raise Sealed()
        return self.physical.list(prefix)

    def take(self, key: str) -> bytes | None:
        """Delete `key` and return what it held, never from the cache: a sibling process may have taken it."""
        if self._active is None:
            raise Sealed()
        self._cache.pop(key, None)
        blob = self.physical.take(key)
        self._remember(key, None)
        return None if blob is None else self._decrypt(key, blob)

    def update(self, key: str, step: Callable[[bytes | None], bytes | None], also: Also = ()) -> bytes | None:
        """Replace the plaintext at `key` with step(current) and apply `also`, atomically (across processes
        too); None deletes. `step` sees the stored value, never the cache; if it raises, nothing is written."""
        if self._active is None:
            raise Sealed()
        result: list[bytes | None] = [None]
        staged: list[Write] = [] if callable(also) else list(also)

        def sealed_step(blob: bytes | None) -> bytes | None:
            new = step(None if blob is None else self._decrypt(key, blob))
            result[0] = new
            return None if new is None else self._encrypt(key, new)

        def sealed_also() -> list[Write]:
            if callable(also):  # known only now that the step has run
                staged.extend(also_writes(also))
            return [Put(w.key, self._encrypt(w.key, w.value)) if isinstance(w, Put) else Delete(w.key)
                    for w in staged]

        for write in staged:
            self._cache.pop(write.key, None)
        self._cache.pop(key, None)
        self.physical.update(key, sealed_step, sealed_also)
        for write in staged:
            self._remember(write.key, write.value if isinstance(write, Put) else None)
        self._remember(key, result[0])
        return result[0]

    def batch(self, writes: Iterable[Write]) -> None:
        staged = list(writes)
        for write in staged:
            self._cache.pop(write.key, None)
        self.physical.batch(
            [Put(w.key, self._encrypt(w.key, w.value)) if isinstance(w, Put) else Delete(w.key) for w in staged]
        )
        for write in staged:
            self._remember(write.key, write.value if isinstance(write, Put) else None)
