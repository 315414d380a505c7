"""The logical storage an engine sees: string keys, bytes values, already behind the barrier.

Keys are `/`-separated. `list(prefix)` returns the immediate children under `prefix`: a leaf as its name, a
folder as its name with a trailing `/`, sorted, as Vault's `logical.Storage.List` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from strongroom.sdk.errors import InvalidRequest
from strongroom.storage.base import Also, Delete, Put, Write, also_writes, children
from strongroom.storage.memory import InMemoryBackend

__all__ = ["Delete", "InMemoryStorage", "InvalidStorageKey", "Put", "Storage", "StorageView", "Write", "children",
           "list_recursive"]


class InvalidStorageKey(InvalidRequest, ValueError):
    """A key built from request input tried to leave its view (`..`, `.`, a leading `/`): a 400, not a fault."""


class Storage(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...

    def delete(self, key: str) -> None: ...

    def list(self, prefix: str) -> list[str]: ...

    def batch(self, writes: Iterable[Write]) -> None:
        """Apply every write or none of them."""
        ...

    def take(self, key: str) -> bytes | None:
        """Delete `key` and return its value, atomically: of concurrent takers (any process), one gets it."""
        ...

    def update(self, key: str, step: Callable[[bytes | None], bytes | None], also: Also = ()) -> bytes | None:
        """Replace the value with step(current) and apply `also`, atomically, across processes too (None
        deletes); returns the new value. `step` must be quick and must not touch storage; if it raises, nothing
        is written and the exception reaches the caller (a compare-and-set that lost). `also` may be a function
        called after the step, for writes that depend on what the step saw."""
        ...


InMemoryStorage = InMemoryBackend
"""A real Storage kept in a dict; passes the same conformance suite as the persistent ones."""


class StorageView:
    """A prefix "chroot" over another Storage: the holder cannot see or touch keys outside the prefix."""

    def __init__(self, inner: Storage, prefix: str) -> None:
        if prefix and not prefix.endswith("/"):
            raise ValueError("a view prefix must end with '/'")
        self._inner = inner
        self.prefix = prefix

    def _key(self, key: str) -> str:
        if key.startswith("/") or "/../" in f"/{key}/" or "/./" in f"/{key}/":
            raise InvalidStorageKey("invalid path: storage keys must be relative and canonical")
        return self.prefix + key

    def get(self, key: str) -> bytes | None:
        return self._inner.get(self._key(key))

    def put(self, key: str, value: bytes) -> None:
        self._inner.put(self._key(key), value)

    def delete(self, key: str) -> None:
        self._inner.delete(self._key(key))

    def take(self, key: str) -> bytes | None:
        return self._inner.take(self._key(key))

    def update(self, key: str, step: Callable[[bytes | None], bytes | None], also: Also = ()) -> bytes | None:
        def scoped() -> list[Write]:
            return self.scoped(also_writes(also))

        return self._inner.update(self._key(key), step, scoped if callable(also) else scoped())

    def scoped(self, writes: Iterable[Write]) -> list[Write]:
        """`writes` with the keys of the storage below, to batch them with another view's in one commit."""
        return [Put(self._key(w.key), w.value) if isinstance(w, Put) else Delete(self._key(w.key)) for w in writes]

    def list(self, prefix: str) -> list[str]:
        return self._inner.list(self._key(prefix) if prefix else self.prefix)

    def batch(self, writes: Iterable[Write]) -> None:
        self._inner.batch(self.scoped(writes))

    def sub(self, prefix: str) -> StorageView:
        return StorageView(self._inner, self._key(prefix))


def list_recursive(storage: Storage, prefix: str = "") -> list[str]:
    """Every leaf key under `prefix`, depth first."""
    found: list[str] = []
    for child in storage.list(prefix):
        if child.endswith("/"):
            found.extend(list_recursive(storage, prefix + child))
        else:
            found.append(prefix + child)
    return found
