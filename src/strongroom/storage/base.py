"""The physical-backend contract every storage implementation passes (see test_conformance.py).

Keys are `/`-separated strings. `list(prefix)` returns immediate children of `prefix`: leaves by name and
folders by name with a trailing `/`, sorted. `batch` applies all writes atomically. `take` deletes a key and
returns the value it held, atomically even against other processes sharing the storage, so a single-use
entry (a wrapped response) is handed out once. `update` replaces a value with `step(current)` under the same
guarantee (a use counter is spent once), together with any further writes; a step that raises writes nothing
(a compare-and-set that lost). A backend is durable when a call returns: the server acknowledges a write only
after that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Put:
    key: str
    value: bytes


@dataclass(frozen=True, slots=True)
class Delete:
    key: str


Write = Put | Delete
Step = Callable[[bytes | None], bytes | None]
"""An atomic update: the current value (None when absent) -> the new one (None deletes). It runs while the
storage is held, so it must be quick and must not touch the storage itself; raising aborts the update (nothing
is written, the exception reaches the caller), which is how a compare-and-set says "changed meanwhile"."""
Also = Iterable[Write] | Callable[[], Iterable[Write]]
"""The other writes of an update: given, or a function called right after the step (so they may depend on
what the step saw, such as the next version number); they commit with it or not at all."""


def also_writes(also: Also) -> list[Write]:
    return list(also() if callable(also) else also)


class PhysicalBackend(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...

    def delete(self, key: str) -> None: ...

    def list(self, prefix: str) -> list[str]: ...

    def batch(self, writes: Iterable[Write]) -> None: ...

    def take(self, key: str) -> bytes | None: ...

    def update(self, key: str, step: Step, also: Also = ()) -> bytes | None: ...

    def close(self) -> None: ...


def children(keys: Iterable[str], prefix: str) -> list[str]:
    """The immediate children of `prefix` among `keys` (all of which start with `prefix`)."""
    found: set[str] = set()
    for key in keys:
        rest = key[len(prefix) :]
        slash = rest.find("/")
        found.add(rest if slash < 0 else rest[: slash + 1])
    return sorted(found)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
