"""The lockout service the core owns, and the per-mount guard it hands each auth method (sdk `LoginGuard`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.core.lockout.settings import SUPPORTED_TYPES, LockoutSettings, resolve
from strongroom.core.lockout.store import LockoutStore
from strongroom.core.routing.mount_table import MountEntry
from strongroom.sdk.clock import Clock
from strongroom.sdk.storage import Storage

TIDY_INTERVAL = 60.0
_OFF = LockoutSettings(disabled=True)


class LockoutService:
    """`entry_for(accessor)` returns the auth mount's current entry (its tuning may change at any time);
    `server` holds the server file's `user_lockout` blocks by method type ("all" for every method)."""

    def __init__(self, storage: Storage, clock: Clock, server: Mapping[str, Mapping[str, Any]],
                 entry_for: Callable[[str], MountEntry | None]) -> None:
        self.store = LockoutStore(storage)
        self.clock = clock
        self.server = server
        self._entry_for = entry_for
        self._last_tidy = 0.0
        self._lock = threading.Lock()

    def settings(self, accessor: str) -> LockoutSettings:
        entry = self._entry_for(accessor)
        if entry is None or entry.type not in SUPPORTED_TYPES:
            return _OFF
        return resolve(self.server, entry.type, entry.config.user_lockout)

    def guard(self, entry: MountEntry) -> MountGuard:
        return MountGuard(self, entry.accessor)

    def locked_users(self, accessor: str | None) -> dict[str, Any]:
        """Vault's sys/locked-users listing (one root namespace), mounts with the most locked users first."""
        now = self.clock.now()
        mounts: list[dict[str, Any]] = []
        for candidate in self.store.accessors():
            if accessor and candidate != accessor:
                continue
            settings = self.settings(candidate)
            names = sorted(s.alias for s in self.store.states(candidate, settings, now) if s.locked_until)
            if names and not settings.disabled:
                mounts.append({"mount_accessor": candidate, "counts": len(names), "alias_identifiers": names})
        mounts.sort(key=lambda m: -len(m["alias_identifiers"]))
        total = sum(len(m["alias_identifiers"]) for m in mounts)
        by_namespace = [{"namespace_id": "root", "namespace_path": "", "counts": total,
                         "mount_accessors": mounts}] if mounts else []
        return {"by_namespace": by_namespace, "total": total}

    def unlock(self, accessor: str, alias: str) -> None:
        """Idempotent: unlocking an alias that is not locked succeeds."""
        self.store.clear(accessor, alias)

    def tidy(self, sync: Callable[[], None]) -> None:
        """Drop records that no longer count (about once a minute; any process may do it). `sync` first brings
        this process's view of the mounts and their tuning up to date, so that a sibling's newer, longer
        lockout settings are never judged by stale ones. Records of a mount this process does not know are
        left alone: disabling a mount drops its records (`drop_mount`)."""
        now = self.clock.now()
        with self._lock:
            if now - self._last_tidy < TIDY_INTERVAL:
                return
            self._last_tidy = now
        sync()
        for accessor in self.store.accessors():
            if self._entry_for(accessor) is not None:
                self.store.tidy(accessor, self.settings(accessor), now)


@dataclass(frozen=True)
class MountGuard:
    """One auth mount's view of the lockout service."""

    service: LockoutService
    accessor: str

    def locked(self, alias: str) -> bool:
        settings = self.service.settings(self.accessor)
        if settings.disabled:
            return False
        state = self.service.store.state(self.accessor, alias, settings, self.service.clock.now())
        return state.locked_until > 0

    def failed(self, alias: str) -> None:
        if not self.service.settings(self.accessor).disabled:
            self.service.store.record_failure(self.accessor, alias, self.service.clock.now())

    def succeeded(self, alias: str) -> None:
        if self.service.store.has_records(self.accessor, alias):
            self.service.store.clear(self.accessor, alias)
