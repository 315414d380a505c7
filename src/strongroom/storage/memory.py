"""An in-memory backend: a real implementation (not a mock) that passes the conformance suite."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from strongroom.storage.base import Also, Delete, Put, Step, Write, also_writes, children


class InMemoryBackend:
    """Every operation holds one lock, reads included, so a batch or an update is applied in place and still
    seen whole or not at all (copying the dict instead would make each write cost the size of the store)."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._data[key] = bytes(value)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def take(self, key: str) -> bytes | None:
        with self._lock:
            return self._data.pop(key, None)

    def update(self, key: str, step: Step, also: Also = ()) -> bytes | None:
        with self._lock:
            # Everything that may fail (the step, the other writes, their values) happens before any write.
            new = step(self._data.get(key))
            value = None if new is None else bytes(new)
            _apply(self._data, [*_staged(also_writes(also)), Put(key, value) if value is not None else Delete(key)])
            return value

    def list(self, prefix: str) -> list[str]:
        with self._lock:
            keys = [key for key in self._data if key.startswith(prefix)]
        return children(keys, prefix)

    def batch(self, writes: Iterable[Write]) -> None:
        staged = _staged(writes)
        with self._lock:
            _apply(self._data, staged)

    def close(self) -> None:
        pass


def _staged(writes: Iterable[Write]) -> list[Write]:
    """The writes with their values as bytes, so a bad value fails before any write is applied."""
    return [Put(w.key, bytes(w.value)) if isinstance(w, Put) else w for w in writes]


def _apply(data: dict[str, bytes], writes: list[Write]) -> None:
    for write in writes:
        if isinstance(write, Put):
            data[write.key] = write.value
        else:
            data.pop(write.key, None)
