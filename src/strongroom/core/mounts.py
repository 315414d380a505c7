"""Mounting, unmounting and tuning secrets engines and auth methods, persisted in the mount tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from strongroom.core.routing.mount_table import (
    SYSTEM_DEFAULT_TTL,
    MountConfig,
    MountEntry,
    dump_table,
    load_table,
)
from strongroom.core.routing.router import Mounted, Router
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Backend, EngineEnv, LoginGuard, NoLockout
from strongroom.sdk.storage import Storage, StorageView, list_recursive

Factory = Callable[[EngineEnv], Backend]
TABLE_KEYS = {"secret": "core/mounts", "auth": "core/auth"}
# Mount points the core owns; nobody may mount over or under them or remove them.
RESERVED = ("sys/", "auth/token/", "cubbyhole/", "identity/")
_VALID_PATH = re.compile(r"[A-Za-z0-9_.\-/]+")


@dataclass(frozen=True)
class EntrySystemView:
    """TTL defaults a mount sees: its own tuning, else the server's."""

    entry: MountEntry
    server_default: int
    server_max: int

    def default_lease_ttl(self) -> int:
        return self.entry.config.default_lease_ttl or self.server_default

    def max_lease_ttl(self) -> int:
        return self.entry.config.max_lease_ttl or self.server_max


def normalize_mount_path(path: str) -> str:
    path = path.strip("/")
    if not path or not _VALID_PATH.fullmatch(path) or ".." in path.split("/"):
        raise InvalidRequest(f"invalid mount path {path[:64]!r}")
    return path + "/"


class MountManager:
    def __init__(
        self,
        barrier: Storage,
        router: Router,
        clock: Clock,
        factories: Mapping[str, Mapping[str, Factory]],
        server_default_ttl: int = SYSTEM_DEFAULT_TTL,
        server_max_ttl: int = SYSTEM_DEFAULT_TTL,
    ) -> None:
        self.barrier = barrier
        self.router = router
        self.clock = clock
        self.factories = factories
        self.server_default_ttl = server_default_ttl
        self.server_max_ttl = server_max_ttl
        self.builtin: dict[str, Callable[[MountEntry, StorageView], Backend]] = {}
        # Set by the core: the user-lockout guard each auth method receives in its EngineEnv.
        self.login_guard: Callable[[MountEntry], LoginGuard] | None = None

    def entries(self, table: str) -> list[MountEntry]:
        raw = self.barrier.get(TABLE_KEYS[table])
        return [] if raw is None else load_table(raw)

    def _change(self, table: str, change: Callable[[list[MountEntry]], list[MountEntry]]) -> list[MountEntry]:
        """Store `change(current entries)` in one atomic storage step: worker processes enabling, tuning or
        disabling mounts at once (Terraform runs ten such requests in parallel) never drop each other's changes
        and never both take one path. `change` may raise to write nothing. Returns the stored entries."""
        stored: list[MountEntry] = []

        def step(raw: bytes | None) -> bytes:
            stored[:] = change([] if raw is None else load_table(raw))
            return dump_table(stored)

        self.barrier.update(TABLE_KEYS[table], step)
        return stored

    def system_view(self, entry: MountEntry) -> EntrySystemView:
        return EntrySystemView(entry, self.server_default_ttl, self.server_max_ttl)

    def _build(self, entry: MountEntry) -> Mounted:
        view = StorageView(self.barrier, entry.storage_prefix)
        builtin = self.builtin.get(f"{entry.table}:{entry.type}")
        if builtin is not None:
            backend = builtin(entry, view)
        else:
            factory = self.factories[entry.table].get(entry.type)
            if factory is None:
                raise InvalidRequest(f"plugin not found in the catalog: {entry.type}")
            env = EngineEnv(storage=view, clock=self.clock, mount_path=entry.router_path,
                            options=dict(entry.options), system=self.system_view(entry),
                            lockout=self.login_guard(entry) if self.login_guard else NoLockout())
            backend = factory(env)
        backend.initialize()
        return Mounted(entry=entry, backend=backend, storage=view)

    def load(self, defaults: Mapping[str, list[MountEntry]]) -> None:
        """Mount everything in the stored tables (writing the defaults on first unseal). A default mount the
        core owns (RESERVED) that a table stored by an older version lacks is added to it."""
        self.router.clear()
        for table, default_entries in defaults.items():
            def with_defaults(entries: list[MountEntry], table: str = table,
                              default_entries: list[MountEntry] = default_entries) -> list[MountEntry]:
                stored = {e.path for e in entries}
                return [*entries, *(e for e in default_entries if e.path not in stored and (
                    not entries or (f"auth/{e.path}" if table == "auth" else e.path) in RESERVED))]

            entries = self.entries(table)
            if with_defaults(entries) != entries:
                entries = self._change(table, with_defaults)
            for entry in entries:
                self.router.mount(self._build(entry))

    def refresh(self) -> None:
        """Bring the router in line with the stored tables after another process changed them."""
        current = {m.entry.uuid: m for m in self.router.all()}
        stored = [entry for table in TABLE_KEYS for entry in self.entries(table)]
        if {e.uuid: e for e in stored} == {uuid: m.entry for uuid, m in current.items()}:
            return
        self.router.clear()
        for entry in stored:
            existing = current.get(entry.uuid)
            if existing is None or existing.entry.options != entry.options:  # new, or a kv upgrade elsewhere
                self.router.mount(self._build(entry))
            else:
                self.router.mount(replace(existing, entry=entry))

    def mount(self, table: str, path: str, type_: str, *, description: str = "",
              options: Mapping[str, str] | None = None, config: MountConfig | None = None) -> MountEntry:
        path = normalize_mount_path(path)
        full = f"auth/{path}" if table == "auth" else path
        clashes = any(full.startswith(r) or r.startswith(full) for r in RESERVED)
        if clashes or (full.startswith("auth/") and table != "auth"):
            raise InvalidRequest(f'cannot mount "{full}"')
        if type_ in ("kv-v2", "kv-v1"):
            options = {**(options or {}), "version": type_[-1]}
            type_ = "kv"
        if type_ not in self.factories[table]:
            raise InvalidRequest(f"plugin not found in the catalog: {type_}")
        def added(entries: list[MountEntry]) -> list[MountEntry]:
            for existing in entries:
                other = existing.router_path
                if other.startswith(full) or full.startswith(other):
                    raise InvalidRequest(f"path is already in use at {existing.path}")
            return [*entries, entry]

        entry = MountEntry.new(path, type_, table, description=description,
                               options=dict(options or {}), config=config or MountConfig())
        added(self.entries(table))  # refuse a clash before building anything
        mounted = self._build(entry)
        self._change(table, added)  # and again on the stored table, atomically
        self.router.mount(mounted)
        return entry

    def unmount(self, table: str, path: str, revoke_prefix: Callable[[str], object]) -> None:
        path = normalize_mount_path(path)
        full = f"auth/{path}" if table == "auth" else path
        if full in RESERVED:
            raise InvalidRequest(f'cannot unmount "{full}"')
        entries = self.entries(table)
        entry = next((e for e in entries if e.path == path), None)
        if entry is None:
            return
        revoke_prefix(full)
        mounted = self.router.unmount(full)
        if mounted is not None:
            mounted.backend.cleanup()
        self._change(table, lambda current: [e for e in current if e.uuid != entry.uuid])
        for key in list_recursive(self.barrier, entry.storage_prefix):
            self.barrier.delete(key)

    def find(self, table: str, path: str) -> MountEntry | None:
        path = normalize_mount_path(path)
        return next((e for e in self.entries(table) if e.path == path), None)

    def tune(self, table: str, path: str, changes: Mapping[str, Any]) -> MountEntry:
        entries = self.entries(table)
        path = normalize_mount_path(path)
        entry = next((e for e in entries if e.path == path), None)
        if entry is None:
            raise InvalidRequest(f"no mount at {path}")
        config_changes = {k: v for k, v in changes.items() if k in MountConfig.__dataclass_fields__}

        def tuned(entry: MountEntry) -> MountEntry:
            updated = replace(entry, config=replace(entry.config, **config_changes))
            if "description" in changes:
                updated = replace(updated, description=changes["description"])
            if changes.get("options"):
                updated = replace(updated, options={**entry.options, **changes["options"]})
            return updated

        updated = tuned(entry)
        mounted = self.router.get(entry.router_path)
        rebuild = mounted is not None and self._kv_upgrade(mounted, updated)

        def with_tuned(current: list[MountEntry]) -> list[MountEntry]:
            found = next((e for e in current if e.uuid == entry.uuid), None)
            if found is None:
                raise InvalidRequest(f"no mount at {path}")
            updated_now = tuned(found)  # on the stored entry: a concurrent tune of other fields is kept
            if updated_now.options != updated.options:
                raise InvalidRequest(f"the mount at {path} changed meanwhile; try again")
            updates.append(updated_now)
            return [updated_now if e.uuid == entry.uuid else e for e in current]

        updates: list[MountEntry] = []
        self._change(table, with_tuned)
        updated = updates[-1]
        if mounted is not None:
            self.router.mount(self._build(updated) if rebuild else replace(mounted, entry=updated))
        return updated

    @staticmethod
    def _kv_upgrade(mounted: Mounted, updated: MountEntry) -> bool:
        """Whether a tune turns a kv v1 mount into v2 (the backend must then be rebuilt). As in Vault, core
        knows this one option: a v2 mount cannot go back to v1, and a v1 mount upgrades only while empty
        (moving v1 data into the v2 layout is not built), so the options never disagree with the engine."""
        if mounted.entry.type != "kv":
            return False
        before = str(mounted.entry.options.get("version") or "1")
        after = str(updated.options.get("version") or "1")
        if before == after:
            return False
        if before == "2":
            raise InvalidRequest("cannot downgrade mount from versioned to non-versioned")
        if after != "2":
            raise InvalidRequest(f"unsupported kv version {after[:8]!r}")
        if mounted.storage.list(""):
            raise InvalidRequest("upgrading a kv mount that holds data to version 2 is not supported; "
                                 "enable a kv-v2 mount and copy the secrets into it")
        return True
