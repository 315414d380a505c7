"""The identity store: entities (with aliases) and groups (with an alias), kept behind the barrier.

Storage (a view below the barrier, `sys/identity/`):
    salt                              HMAC key for the indexes (names never appear in storage keys)
    entity/<id>                       Entity (its aliases inside)
    group/<id>                        Group (an external group's alias inside)
    index/<kind>/<keyed hash>         name / alias -> id, for entity-name, entity-alias, alias-id, merged-id
                                      (an entity merged away -> the one it went into), group-name, group-alias
                                      and group-alias-id

Every write bumps a generation that drops what `resolve` caches; another process's writes are announced with
`invalidate()` (the core calls it from the barrier's external-change hook). Entity and group names are matched
case-insensitively; alias names exactly (auth methods normalise their own). An entity made by a login gets an
id derived from (mount accessor, alias name), so two server processes racing on a first login make one entity.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable

from strongroom.core.identity.model import Entity, Group
from strongroom.crypto.keyed import HmacSha256Key
from strongroom.crypto.random import random_bytes
from strongroom.sdk.clock import Clock
from strongroom.sdk.storage import Delete, Put, Storage, Write


class IdentityStore:
    """Entities and groups in `storage`; every read goes through to storage (the barrier caches), only the list
    of groups is cached here."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self.lock = threading.RLock()
        self.generation = 0
        self._mac: HmacSha256Key | None = None
        self._groups: tuple[int, list[Group]] | None = None

    # --- keys and caches ------------------------------------------------------------------------------
    def ensure_salt(self) -> None:
        """Create the index key now (the core calls this at initialisation, while one process runs), so that
        worker processes never race to create two different ones."""
        self._key()

    def _key(self) -> HmacSha256Key:
        if self._mac is None:
            salt = self.storage.get("salt")
            if salt is None:
                fresh = random_bytes(32)  # of processes racing to create it, the first one's is kept
                salt = self.storage.update("salt", lambda current: current or fresh) or fresh
            self._mac = HmacSha256Key(salt)
        return self._mac

    def _index(self, kind: str, *parts: str) -> str:
        return f"index/{kind}/" + self._key().hexdigest("\0".join((kind, *parts)).encode())

    def derived_id(self, kind: str, mount_accessor: str, name: str) -> str:
        digest = self._key().hexdigest(f"derived\0{kind}\0{mount_accessor}\0{name}".encode())
        return str(uuid.UUID(digest[:32]))

    def invalidate(self) -> None:
        with self.lock:
            self.generation += 1
            self._groups = None

    def reset(self) -> None:
        """Forget key material and caches (at seal)."""
        self._mac = None
        self.invalidate()

    def _get_id(self, key: str) -> str | None:
        raw = self.storage.get(key)
        return None if raw is None else raw.decode()

    # --- entities ---------------------------------------------------------------------------------------
    def entity(self, entity_id: str) -> Entity | None:
        if not entity_id or "/" in entity_id:
            return None
        raw = self.storage.get(f"entity/{entity_id}")
        return None if raw is None else Entity.deserialize(raw)

    def entity_or_merged(self, entity_id: str) -> Entity | None:
        """The entity, or the one it was merged into (a token keeps the id of the entity it was issued for)."""
        found = self.entity(entity_id)
        if found is None and entity_id and "/" not in entity_id:
            into = self._get_id(self._index("merged-id", entity_id))
            found = None if into is None else self.entity(into)
        return found

    def entity_by_name(self, name: str) -> Entity | None:
        found = self._get_id(self._index("entity-name", name.casefold()))
        return None if found is None else self.entity(found)

    def entity_by_alias(self, mount_accessor: str, name: str) -> Entity | None:
        found = self._get_id(self._index("entity-alias", mount_accessor, name))
        return None if found is None else self.entity(found)

    def entity_by_alias_id(self, alias_id: str) -> Entity | None:
        found = self._get_id(self._index("alias-id", alias_id))
        return None if found is None else self.entity(found)

    def entities(self) -> list[Entity]:
        found = [self.entity(name) for name in self.storage.list("entity/")]
        return sorted((e for e in found if e is not None), key=lambda e: e.name)

    def _entity_indexes(self, entity: Entity) -> list[str]:
        keys = [self._index("entity-name", entity.name.casefold())]
        keys += [self._index("merged-id", merged) for merged in entity.merged_entity_ids]
        for alias in entity.aliases:
            keys += [self._index("entity-alias", alias.mount_accessor, alias.name), self._index("alias-id", alias.id)]
        return keys

    def save_entity(self, entity: Entity, previous: Entity | None = None) -> None:
        self.save_entities([(entity, previous)])

    def save_entities(self, changes: Iterable[tuple[Entity, Entity | None]], removed: Iterable[Entity] = ()) -> None:
        """One atomic batch: each (new, previous) pair saved with its indexes, each of `removed` deleted. Every
        old index goes before any new one is written, so an alias moving between entities keeps its index."""
        changes, removed = list(changes), list(removed)
        writes: list[Write] = [Delete(k) for _, old in changes if old is not None for k in self._entity_indexes(old)]
        for entity in removed:
            writes += [Delete(f"entity/{entity.id}"), *(Delete(k) for k in self._entity_indexes(entity))]
        for entity, _ in changes:
            writes.append(Put(f"entity/{entity.id}", entity.serialize()))
            writes += [Put(k, entity.id.encode()) for k in self._entity_indexes(entity)]
        if writes:
            self.storage.batch(writes)
            self.invalidate()

    def delete_entity(self, entity: Entity) -> None:
        writes: list[Write] = [Delete(f"entity/{entity.id}"), *(Delete(k) for k in self._entity_indexes(entity))]
        for group in self.groups():
            if entity.id in group.member_entity_ids:
                members = tuple(m for m in group.member_entity_ids if m != entity.id)
                writes.append(Put(f"group/{group.id}", group.with_(member_entity_ids=members).serialize()))
        self.storage.batch(writes)
        self.invalidate()

    # --- groups -------------------------------------------------------------------------------------------
    def group(self, group_id: str) -> Group | None:
        if not group_id or "/" in group_id:
            return None
        raw = self.storage.get(f"group/{group_id}")
        return None if raw is None else Group.deserialize(raw)

    def group_by_name(self, name: str) -> Group | None:
        found = self._get_id(self._index("group-name", name.casefold()))
        return None if found is None else self.group(found)

    def group_by_alias(self, mount_accessor: str, name: str) -> Group | None:
        found = self._get_id(self._index("group-alias", mount_accessor, name))
        return None if found is None else self.group(found)

    def group_by_alias_id(self, alias_id: str) -> Group | None:
        found = self._get_id(self._index("group-alias-id", alias_id))
        return None if found is None else self.group(found)

    def groups(self) -> list[Group]:
        """Every group (cached until the next identity write or `invalidate`)."""
        with self.lock:
            cached = self._groups
            generation = self.generation
        if cached is not None and cached[0] == generation:
            return cached[1]
        found = [self.group(name) for name in self.storage.list("group/")]
        groups = sorted((g for g in found if g is not None), key=lambda g: g.name)
        with self.lock:
            if generation == self.generation:
                self._groups = (generation, groups)
        return groups

    def _group_indexes(self, group: Group) -> list[str]:
        keys = [self._index("group-name", group.name.casefold())]
        if group.alias is not None:
            keys += [self._index("group-alias", group.alias.mount_accessor, group.alias.name),
                     self._index("group-alias-id", group.alias.id)]
        return keys

    def save_group(self, group: Group, previous: Group | None = None) -> None:
        self.save_groups([(group, previous)])

    def save_groups(self, changes: Iterable[tuple[Group, Group | None]]) -> None:
        changes = list(changes)
        writes: list[Write] = [Delete(k) for _, old in changes if old is not None for k in self._group_indexes(old)]
        for group, _ in changes:
            writes.append(Put(f"group/{group.id}", group.serialize()))
            writes += [Put(k, group.id.encode()) for k in self._group_indexes(group)]
        if writes:
            self.storage.batch(writes)
            self.invalidate()

    def delete_group(self, group: Group) -> None:
        writes: list[Write] = [Delete(f"group/{group.id}"), *(Delete(k) for k in self._group_indexes(group))]
        for other in self.groups():
            if group.id in other.member_group_ids:
                members = tuple(m for m in other.member_group_ids if m != group.id)
                writes.append(Put(f"group/{other.id}", other.with_(member_group_ids=members).serialize()))
        self.storage.batch(writes)
        self.invalidate()
