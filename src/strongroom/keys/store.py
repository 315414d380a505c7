"""Key records in storage, and the per-process cache of parsed keys.

Cache choice: each process keeps its own cache of `Keyring`s, validated on every use against the stored record
(`policy/<name>`). A use reads the record from storage, which the barrier serves from its own coherent cache
(dropped whenever another process sharing the storage commits), and compares it with the bytes the Keyring was
parsed from: by identity when nothing changed (the barrier hands back the same object), by value otherwise. So a
rotation, config change or deletion made by another process is seen on the very next request, and the hot path
costs a dict lookup and a pointer comparison. Usage counters live under a separate key so that counting never
invalidates parsed keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from strongroom.keys.key import Key
from strongroom.keys.keyring import Keyring
from strongroom.sdk.errors import Fault, InvalidRequest
from strongroom.sdk.storage import Storage

PREFIX = "policy/"
NAME = re.compile(r"\w(?:[\w.-]*\w)?")
_CACHE_LIMIT = 10_000


def check_name(name: str) -> None:
    if not NAME.fullmatch(name) or len(name) > 256:
        raise InvalidRequest("invalid key name")


class _Unchanged(Exception):
    """Raised inside a storage step to write nothing."""


class KeyStore:
    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._rings: dict[str, Keyring] = {}

    def get(self, name: str) -> Keyring | None:
        record = self.storage.get(PREFIX + name)
        if record is None:
            self._rings.pop(name, None)
            return None
        ring = self._rings.get(name)
        if ring is not None and (ring.record is record or ring.record == record):
            return ring
        return self._remember(Keyring(_parse(name, record), record))

    def _remember(self, ring: Keyring) -> Keyring:
        if len(self._rings) >= _CACHE_LIMIT:
            self._rings.clear()
        self._rings[ring.key.name] = ring
        return ring

    def modify(self, name: str, change: Callable[[Key | None], Key]) -> Keyring:
        """Store `change(current key, or None)` in one atomic storage step, so a change made from a stale read
        (another process rotated meanwhile) cannot overwrite a newer record; when `change` hands back the
        current key itself, nothing is written. `change` runs while the storage is held: no key generation
        inside; raising writes nothing and reaches the caller."""
        changed: list[Key] = []

        def step(record: bytes | None) -> bytes:
            current = None if record is None else _parse(name, record)
            key = change(current)
            if key is current:
                raise _Unchanged
            changed[:] = [key]
            return key.to_bytes()

        try:
            record = self.storage.update(PREFIX + name, step)
        except _Unchanged:
            ring = self.get(name)
            if ring is None:
                raise InvalidRequest("key not found") from None
            return ring
        assert record is not None
        return self._remember(Keyring(changed[0], record))

    def delete(self, name: str) -> None:
        self.storage.delete(PREFIX + name)
        self._rings.pop(name, None)

    def names(self) -> list[str]:
        return [name for name in self.storage.list(PREFIX) if not name.endswith("/")]


def _parse(name: str, record: bytes) -> Key:
    try:
        return Key.from_bytes(record)
    except (ValueError, KeyError, TypeError):
        raise Fault(f"stored key {name!r} does not parse") from None
