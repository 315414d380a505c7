"""Failed-login records in the barrier, one entry per failure, so several server processes never lose a count.

Layout below the core's `sys/lockout/` view:
    salt                                   the HMAC key that names aliases (aliases never appear in keys)
    <mount accessor>/<hmac(alias)>/<id>    {"alias": normalised alias, "time": seconds} for one failed login

Each failure is its own entry (a unique id), not a read-modify-write of a counter: two worker processes that
record failures at the same moment both add an entry, and the count is what `list` finds. The lock state is
folded from the times (`fold`): failures further apart than `counter_reset` start the count again; the
failure that reaches `threshold` locks the alias for `duration`; failures refused while locked are not
recorded; once a lock has expired the count starts from zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from strongroom.core.lockout.settings import LockoutSettings, normalise_alias
from strongroom.crypto.keyed import HmacSha256Key
from strongroom.crypto.random import random_bytes
from strongroom.sdk.storage import Storage

_SALT = "salt"


@dataclass(frozen=True)
class LockState:
    """`locked_until` is 0 when the alias is not locked at the time of folding."""

    alias: str
    failures: int
    locked_until: float


def fold(times: Iterable[float], settings: LockoutSettings, now: float) -> tuple[int, float]:
    """(failures counting toward the next lock, end of the current lock or 0) for these failure times."""
    count, last, locked_at = 0, None, None
    for moment in sorted(times):
        if locked_at is not None:
            if moment < locked_at + settings.duration:
                continue  # recorded by a sibling process in the same instant the lock began
            locked_at, count = None, 0
        if last is not None and moment - last > settings.counter_reset:
            count = 0
        count, last = count + 1, moment
        if count >= settings.threshold:
            locked_at, count = moment, 0
    if locked_at is not None and now < locked_at + settings.duration:
        return 0, locked_at + settings.duration
    if locked_at is not None or (last is not None and now - last > settings.counter_reset):
        return 0, 0.0
    return count, 0.0


class LockoutStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._key: HmacSha256Key | None = None

    def _hasher(self) -> HmacSha256Key:
        if self._key is None:
            salt = self._storage.get(_SALT)
            if salt is None:
                fresh = random_bytes(32)  # of processes racing to create it, the first one's is kept
                salt = self._storage.update(_SALT, lambda current: current or fresh) or fresh
            self._key = HmacSha256Key(salt)
        return self._key

    def ensure_salt(self) -> None:
        """Create the naming key now (at initialisation, while one process owns the storage), so that worker
        processes starting together never race to create two different keys."""
        self._hasher()

    def reset(self) -> None:
        """Forget the cached salt (sealing)."""
        self._key = None

    def _folder(self, accessor: str, alias: str) -> str:
        return f"{accessor}/{self._hasher().hexdigest(normalise_alias(alias).encode())}/"

    def _records(self, folder: str) -> list[tuple[str, dict[str, object]]]:
        found = []
        for name in self._storage.list(folder):
            raw = self._storage.get(folder + name)
            if raw is not None:
                found.append((folder + name, orjson.loads(raw)))
        return found

    def state(self, accessor: str, alias: str, settings: LockoutSettings, now: float) -> LockState:
        records = self._records(self._folder(accessor, alias))
        failures, until = fold((float(r["time"]) for _, r in records), settings, now)  # type: ignore[arg-type]
        return LockState(normalise_alias(alias), failures, until)

    def record_failure(self, accessor: str, alias: str, now: float) -> None:
        key = f"{self._folder(accessor, alias)}{int(now * 1e6):016x}-{random_bytes(6).hex()}"
        self._storage.put(key, orjson.dumps({"alias": normalise_alias(alias), "time": now}))

    def clear(self, accessor: str, alias: str) -> None:
        """Forget every failure of the alias (a successful login, an operator's unlock)."""
        folder = self._folder(accessor, alias)
        for name in self._storage.list(folder):
            self._storage.delete(folder + name)

    def has_records(self, accessor: str, alias: str) -> bool:
        return bool(self._storage.list(self._folder(accessor, alias)))

    def accessors(self) -> list[str]:
        return [name.rstrip("/") for name in self._storage.list("") if name.endswith("/")]

    def states(self, accessor: str, settings: LockoutSettings, now: float) -> list[LockState]:
        """Every alias of the mount with failures on record, folded at `now`."""
        result = []
        for folder in self._storage.list(f"{accessor}/"):
            records = self._records(f"{accessor}/{folder}")
            if records:
                failures, until = fold((float(r["time"]) for _, r in records), settings, now)  # type: ignore[arg-type]
                result.append(LockState(str(records[0][1]["alias"]), failures, until))
        return result

    def tidy(self, accessor: str, settings: LockoutSettings, now: float) -> int:
        """Delete the records of aliases that are neither locked nor counting; returns how many went."""
        removed = 0
        for folder in self._storage.list(f"{accessor}/"):
            records = self._records(f"{accessor}/{folder}")
            failures, until = fold((float(r["time"]) for _, r in records), settings, now)  # type: ignore[arg-type]
            if failures == 0 and until == 0:
                for key, _ in records:
                    self._storage.delete(key)
                    removed += 1
        return removed

    def drop_mount(self, accessor: str) -> None:
        for folder in self._storage.list(f"{accessor}/"):
            for name in self._storage.list(f"{accessor}/{folder}"):
                self._storage.delete(f"{accessor}/{folder}{name}")
