"""An in-memory backend: a real implementation (not a mock) that passes the conformance suite."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from strongroom.storage.base import Also, Put, Step, Write, also_writes, children


class InMemoryBackend:
    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
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
            new = step(self._data.get(key))  # the only thing that may fail: nothing is written before it
            writes = also_writes(also)
            # Readers do not take the lock: several keys are swapped in as one new dict (as batch does), so
            # no reader sees half of them; a single key is changed in place.
            data = dict(self._data) if writes else self._data
            for write in writes:
                if isinstance(write, Put):
                    data[write.key] = bytes(write.value)
                else:
                    data.pop(write.key, None)
            if new is None:
                data.pop(key, None)
            else:
                data[key] = bytes(new)
            self._data = data
            return new

    def list(self, prefix: str) -> list[str]:
        with self._lock:
            keys = [key for key in self._data if key.startswith(prefix)]
        return children(keys, prefix)

    def batch(self, writes: Iterable[Write]) -> None:
        with self._lock:
            staged = dict(self._data)
            for write in writes:
                if isinstance(write, Put):
                    staged[write.key] = bytes(write.value)
                else:
                    staged.pop(write.key, None)
            self._data = staged

    def close(self) -> None:
        pass
