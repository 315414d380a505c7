"""identity/entity-alias and identity/group-alias.

An entity has at most one alias per auth mount, and a (mount accessor, alias name) pair belongs to one entity
(likewise for group aliases, which only external groups carry). An alias created without `canonical_id` gets a
new entity (or external group) of its own, as in Vault. Writes answer {"canonical_id", "id"}.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.core.identity.api import MountLookup, alias_data, alias_key_info
from strongroom.core.identity.model import EXTERNAL, Entity, EntityAlias, Group, GroupAlias
from strongroom.core.identity.store import IdentityStore
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class AliasArgs:
    id: str = arg("Alias id (from the path, or in the body to update that alias).", "")
    name: str = arg("Alias name: the name the auth method knows the user (or group) by.", "")
    mount_accessor: str = arg("Accessor of the auth mount the alias belongs to.", "")
    canonical_id: str = arg("Id of the entity (or group) the alias belongs to.", "")
    custom_metadata: dict[str, str] | None = arg("Free-form metadata of an entity alias.", None)


@dataclass(frozen=True)
class NoArgs:
    pass


def _written(canonical_id: str, alias_id: str) -> Response:
    return Response(data={"canonical_id": canonical_id, "id": alias_id})


class AliasPaths:
    def __init__(self, store: IdentityStore, mounts: MountLookup) -> None:
        self.store = store
        self.mounts = mounts

    def _check_mount(self, accessor: str) -> None:
        path, _ = self.mounts(accessor)
        if not path.startswith("auth/"):
            raise InvalidRequest("invalid mount accessor")

    # --- entity aliases ------------------------------------------------------------------------------------
    def entity_alias_write(self, request: Request, args: AliasArgs) -> Response:
        with self.store.lock:
            if args.id:
                owner = self.store.entity_by_alias_id(args.id)
                if owner is None:
                    raise NotFound() if request.path.startswith("entity-alias/id/") else InvalidRequest(
                        "invalid alias id")
                return self._update_entity_alias(owner, args)
            return self._create_entity_alias(args)

    def _create_entity_alias(self, args: AliasArgs) -> Response:
        if not args.name or not args.mount_accessor:
            raise InvalidRequest("missing alias name or mount accessor")
        self._check_mount(args.mount_accessor)
        if self.store.entity_by_alias(args.mount_accessor, args.name) is not None:
            raise InvalidRequest("combination of mount and alias name is already in use")
        now = self.store.clock.now()
        target = self._target_entity(args.canonical_id, now)
        if target.alias_on(args.mount_accessor) is not None:
            raise InvalidRequest("alias already exists for requested entity and mount accessor")
        alias = EntityAlias(id=new_uuid(), canonical_id=target.id, mount_accessor=args.mount_accessor,
                            name=args.name, creation_time=now, last_update_time=now,
                            custom_metadata=dict(args.custom_metadata or {}))
        previous = self.store.entity(target.id)
        self.store.save_entity(target.with_(aliases=(*target.aliases, alias), last_update_time=now), previous)
        return _written(target.id, alias.id)

    def _target_entity(self, canonical_id: str, now: float) -> Entity:
        if canonical_id:
            entity = self.store.entity(canonical_id)
            if entity is None:
                raise InvalidRequest("invalid canonical ID")
            return entity
        entity_id = new_uuid()
        return Entity(id=entity_id, name=f"entity_{entity_id[:8]}", creation_time=now, last_update_time=now)

    def _update_entity_alias(self, owner: Entity, args: AliasArgs) -> Response:
        alias = next(a for a in owner.aliases if a.id == args.id)
        now = self.store.clock.now()
        accessor, name = args.mount_accessor or alias.mount_accessor, args.name or alias.name
        if accessor != alias.mount_accessor:
            self._check_mount(accessor)
        holder = self.store.entity_by_alias(accessor, name)
        if holder is not None and (accessor, name) != (alias.mount_accessor, alias.name):
            raise InvalidRequest("combination of mount and alias name is already in use")
        target = owner if args.canonical_id in ("", owner.id) else self._target_entity(args.canonical_id, now)
        clash = target.alias_on(accessor)
        if clash is not None and clash.id != alias.id:
            raise InvalidRequest("alias already exists for requested entity and mount accessor")
        custom = alias.custom_metadata if args.custom_metadata is None else dict(args.custom_metadata)
        moved = replace(alias, canonical_id=target.id, mount_accessor=accessor, name=name, custom_metadata=custom,
                        last_update_time=now)
        kept = tuple(a for a in owner.aliases if a.id != alias.id)
        if target.id == owner.id:
            self.store.save_entity(owner.with_(aliases=(*kept, moved), last_update_time=now), owner)
        else:
            self.store.save_entities([(owner.with_(aliases=kept, last_update_time=now), owner),
                                      (target.with_(aliases=(*target.aliases, moved), last_update_time=now), target)])
        return _written(target.id, alias.id)

    def entity_alias_read(self, request: Request, args: AliasArgs) -> Response:
        owner = self.store.entity_by_alias_id(args.id)
        if owner is None:
            raise NotFound()
        alias = next(a for a in owner.aliases if a.id == args.id)
        return Response(data=alias_data(alias, self.mounts))

    def entity_alias_delete(self, request: Request, args: AliasArgs) -> Response:
        with self.store.lock:
            owner = self.store.entity_by_alias_id(args.id)
            if owner is not None:
                kept = tuple(a for a in owner.aliases if a.id != args.id)
                self.store.save_entity(owner.with_(aliases=kept, last_update_time=self.store.clock.now()), owner)
        return Response()

    def entity_alias_list(self, request: Request, args: NoArgs) -> Response:
        aliases = sorted((a for e in self.store.entities() for a in e.aliases), key=lambda a: a.id)
        if not aliases:
            raise NotFound()  # Vault answers an empty list with 404
        return Response(data={"keys": [a.id for a in aliases],
                              "key_info": {a.id: alias_key_info(a, self.mounts) for a in aliases}})

    # --- group aliases -------------------------------------------------------------------------------------
    def group_alias_write(self, request: Request, args: AliasArgs) -> Response:
        with self.store.lock:
            current = self.store.group_by_alias_id(args.id) if args.id else None
            if args.id and current is None:
                raise NotFound() if request.path.startswith("group-alias/id/") else InvalidRequest("invalid alias id")
            return self._write_group_alias(current, args)

    def _write_group_alias(self, current: Group | None, args: AliasArgs) -> Response:
        old = current.alias if current is not None else None
        accessor = args.mount_accessor or (old.mount_accessor if old else "")
        name = args.name or (old.name if old else "")
        if not name or not accessor:
            raise InvalidRequest("missing alias name or mount accessor")
        self._check_mount(accessor)
        holder = self.store.group_by_alias(accessor, name)
        if holder is not None and (current is None or holder.id != current.id):
            raise InvalidRequest("combination of mount and group alias name is already in use")
        now = self.store.clock.now()
        target = self._target_group(args.canonical_id or (current.id if current else ""), now)
        if target.alias is not None and (old is None or target.alias.id != old.id):
            raise InvalidRequest("group already has an alias")
        alias = GroupAlias(id=old.id if old else new_uuid(), canonical_id=target.id, mount_accessor=accessor,
                           name=name, creation_time=old.creation_time if old else now, last_update_time=now)
        changes: list[tuple[Group, Group | None]] = []
        if current is not None and current.id != target.id:
            changes.append((current.with_(alias=None, last_update_time=now), current))
        changes.append((target.with_(alias=alias, last_update_time=now), self.store.group(target.id)))
        self.store.save_groups(changes)
        return _written(target.id, alias.id)

    def _target_group(self, canonical_id: str, now: float) -> Group:
        if not canonical_id:
            group_id = new_uuid()
            return Group(id=group_id, name=f"group_{group_id[:8]}", type=EXTERNAL, creation_time=now,
                         last_update_time=now)
        group = self.store.group(canonical_id)
        if group is None:
            raise InvalidRequest("invalid group ID given in 'canonical_id'")
        if group.type != EXTERNAL:
            raise InvalidRequest("alias can't be set on an internal group")
        return group

    def group_alias_read(self, request: Request, args: AliasArgs) -> Response:
        group = self.store.group_by_alias_id(args.id)
        if group is None or group.alias is None:
            raise NotFound()
        return Response(data=group.alias.api(*self.mounts(group.alias.mount_accessor)))

    def group_alias_delete(self, request: Request, args: AliasArgs) -> Response:
        with self.store.lock:
            group = self.store.group_by_alias_id(args.id)
            if group is not None:
                self.store.save_group(group.with_(alias=None, last_update_time=self.store.clock.now()), group)
        return Response()

    def group_alias_list(self, request: Request, args: NoArgs) -> Response:
        aliases = sorted((g.alias for g in self.store.groups() if g.alias is not None), key=lambda a: a.id)
        if not aliases:
            raise NotFound()
        info = {}
        for alias in aliases:
            path, type_ = self.mounts(alias.mount_accessor)
            info[alias.id] = {"canonical_id": alias.canonical_id, "mount_accessor": alias.mount_accessor,
                              "mount_path": path, "mount_type": type_, "name": alias.name}
        return Response(data={"keys": [a.id for a in aliases], "key_info": info})


def paths(store: IdentityStore, mounts: MountLookup) -> list[Path[Any]]:
    a = AliasPaths(store, mounts)
    read, update, delete, list_ = Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.LIST
    return [
        Path("entity-alias", AliasArgs, {update: a.entity_alias_write}, synopsis="Create an entity alias."),
        Path("entity-alias/id/?", NoArgs, {list_: a.entity_alias_list}, synopsis="List entity aliases."),
        Path("entity-alias/id/(?P<id>[^/]+)", AliasArgs,
             {read: a.entity_alias_read, update: a.entity_alias_write, delete: a.entity_alias_delete},
             synopsis="Read, update or delete an entity alias."),
        Path("group-alias", AliasArgs, {update: a.group_alias_write}, synopsis="Create a group alias."),
        Path("group-alias/id/?", NoArgs, {list_: a.group_alias_list}, synopsis="List group aliases."),
        Path("group-alias/id/(?P<id>[^/]+)", AliasArgs,
             {read: a.group_alias_read, update: a.group_alias_write, delete: a.group_alias_delete},
             synopsis="Read, update or delete a group alias."),
    ]
