"""At login: find or create the entity for (mount accessor, alias name), and bring the entity's memberships of
external groups in line with the group names the auth method vouched for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from strongroom.core.identity.model import EXTERNAL, Entity, EntityAlias
from strongroom.core.identity.store import IdentityStore
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import PermissionDenied


def on_login(store: IdentityStore, mount_accessor: str, alias_name: str, alias_metadata: Mapping[str, str],
             groups: tuple[str, ...]) -> str:
    """The entity id for the token ("" when the method names no alias). A disabled entity may not log in."""
    if not alias_name:
        return ""
    with store.lock:
        entity = _entity_for(store, mount_accessor, alias_name, dict(alias_metadata))
        if entity.disabled:
            raise PermissionDenied()
        sync_external_groups(store, entity.id, mount_accessor, groups)
    return entity.id


def _entity_for(store: IdentityStore, mount_accessor: str, name: str, metadata: dict[str, str]) -> Entity:
    now = store.clock.now()
    entity = store.entity_by_alias(mount_accessor, name)
    if entity is not None:
        alias = next(a for a in entity.aliases if a.mount_accessor == mount_accessor and a.name == name)
        if alias.metadata != metadata:
            updated = tuple(a if a.id != alias.id else _with_metadata(a, metadata, now) for a in entity.aliases)
            changed = entity.with_(aliases=updated, last_update_time=now)
            store.save_entity(changed, entity)
            return changed
        return entity
    entity_id = store.derived_id("entity", mount_accessor, name)
    alias = EntityAlias(id=store.derived_id("alias", mount_accessor, name), canonical_id=entity_id,
                        mount_accessor=mount_accessor, name=name, creation_time=now, last_update_time=now,
                        metadata=metadata)
    existing = store.entity(entity_id)
    if existing is not None and existing.alias_on(mount_accessor) is not None:
        # The derived entity has another alias on this mount now (set by hand): this alias gets its own entity.
        entity_id, existing = new_uuid(), None
        alias = replace(alias, canonical_id=entity_id)
    if existing is not None:  # its alias was removed by hand; a new login brings it back
        created = existing.with_(aliases=(*existing.aliases, alias), last_update_time=now)
    else:
        entity_name = f"entity_{entity_id[:8]}"
        if store.entity_by_name(entity_name) is not None:
            entity_name = f"entity_{entity_id}"
        created = Entity(id=entity_id, name=entity_name, creation_time=now, last_update_time=now, aliases=(alias,))
    store.save_entity(created, existing)
    return created


def _with_metadata(alias: EntityAlias, metadata: dict[str, str], now: float) -> EntityAlias:
    return replace(alias, metadata=metadata, last_update_time=now)


def sync_external_groups(store: IdentityStore, entity_id: str, mount_accessor: str, names: tuple[str, ...]) -> None:
    """Membership of every external group aliased on this mount follows `names` (writes only what changed)."""
    wanted = set(names)
    now = store.clock.now()
    changes = []
    for group in store.groups():
        if group.type != EXTERNAL or group.alias is None or group.alias.mount_accessor != mount_accessor:
            continue
        member = entity_id in group.member_entity_ids
        if group.alias.name in wanted and not member:
            members = (*group.member_entity_ids, entity_id)
        elif group.alias.name not in wanted and member:
            members = tuple(m for m in group.member_entity_ids if m != entity_id)
        else:
            continue
        changes.append((group.with_(member_entity_ids=members, last_update_time=now), group))
    store.save_groups(changes)
