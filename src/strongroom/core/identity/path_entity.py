"""identity/entity: create, read, update, delete and list entities, by id and by name; batch-delete.

Fields left out of an update keep their values. Creating answers 200 with {"aliases", "id", "name"}; updating
answers 204, as Vault does. Policies go through `check_policies`: "root" in any spelling is a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.core.identity.api import MountLookup, entity_data, entity_key_info
from strongroom.core.identity.model import Entity, check_policies
from strongroom.core.identity.store import IdentityStore
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class EntityArgs:
    id: str = arg("Entity id (from the path, or in the body of identity/entity to update that entity).", "")
    name: str = arg("Entity name (unique, case-insensitive); generated when omitted.", "")
    policies: list[str] | None = arg("Policies the entity grants to its tokens.", None)
    metadata: dict[str, str] | None = arg("Free-form metadata, usable in policy templates.", None)
    disabled: bool | None = arg("A disabled entity's tokens are refused.", None)


@dataclass(frozen=True)
class BatchDeleteArgs:
    entity_ids: list[str] = arg("Ids of the entities to delete.", factory=list)


@dataclass(frozen=True)
class NoArgs:
    pass


def check_name(name: str) -> str:
    if "/" in name or name.strip() != name:
        raise InvalidRequest("invalid name")
    return name


class EntityPaths:
    def __init__(self, store: IdentityStore, mounts: MountLookup) -> None:
        self.store = store
        self.mounts = mounts

    def _found(self, entity: Entity | None) -> Entity:
        if entity is None:
            raise NotFound()
        return entity

    def _read(self, entity: Entity) -> Response:
        return Response(data=entity_data(entity, self.store.groups(), self.mounts))

    # --- create and update --------------------------------------------------------------------------------
    def upsert(self, request: Request, args: EntityArgs) -> Response:
        """identity/entity: update by id, else by name, else create."""
        with self.store.lock:
            if args.id:
                return self._update(self._found(self.store.entity(args.id)), args)
            existing = self.store.entity_by_name(args.name) if args.name else None
            if existing is not None:
                return self._update(existing, args)
            return self._create(args)

    def write_by_id(self, request: Request, args: EntityArgs) -> Response:
        with self.store.lock:
            return self._update(self._found(self.store.entity(args.id)), args)

    def write_by_name(self, request: Request, args: EntityArgs) -> Response:
        with self.store.lock:
            existing = self.store.entity_by_name(args.name)
            return self._create(args) if existing is None else self._update(existing, args)

    def _create(self, args: EntityArgs) -> Response:
        now = self.store.clock.now()
        entity_id = new_uuid()
        name = check_name(args.name) if args.name else f"entity_{entity_id[:8]}"
        entity = Entity(id=entity_id, name=name, creation_time=now, last_update_time=now,
                        policies=check_policies(args.policies or ()), metadata=dict(args.metadata or {}),
                        disabled=bool(args.disabled))
        self.store.save_entity(entity)
        return Response(data={"aliases": None, "id": entity.id, "name": entity.name})

    def _update(self, entity: Entity, args: EntityArgs) -> Response:
        changes: dict[str, Any] = {}
        if args.name and args.name != entity.name:
            other = self.store.entity_by_name(args.name)
            if other is not None and other.id != entity.id:
                raise InvalidRequest("entity name is already in use")
            changes["name"] = check_name(args.name)
        if args.policies is not None:
            changes["policies"] = check_policies(args.policies)
        if args.metadata is not None:
            changes["metadata"] = dict(args.metadata)
        if args.disabled is not None:
            changes["disabled"] = args.disabled
        if changes:
            updated = entity.with_(**changes, last_update_time=self.store.clock.now())
            self.store.save_entity(updated, entity)
        return Response()

    # --- read, delete, list ---------------------------------------------------------------------------------
    def read_by_id(self, request: Request, args: EntityArgs) -> Response:
        return self._read(self._found(self.store.entity(args.id)))

    def read_by_name(self, request: Request, args: EntityArgs) -> Response:
        return self._read(self._found(self.store.entity_by_name(args.name)))

    def delete_by_id(self, request: Request, args: EntityArgs) -> Response:
        with self.store.lock:
            entity = self.store.entity(args.id)
            if entity is not None:
                self.store.delete_entity(entity)
        return Response()

    def delete_by_name(self, request: Request, args: EntityArgs) -> Response:
        with self.store.lock:
            entity = self.store.entity_by_name(args.name)
            if entity is not None:
                self.store.delete_entity(entity)
        return Response()

    def batch_delete(self, request: Request, args: BatchDeleteArgs) -> Response:
        with self.store.lock:
            for entity_id in dict.fromkeys(args.entity_ids):
                entity = self.store.entity(entity_id)
                if entity is not None:
                    self.store.delete_entity(entity)
        return Response()

    def list_by_id(self, request: Request, args: NoArgs) -> Response:
        entities = sorted(self.store.entities(), key=lambda e: e.id)
        if not entities:
            raise NotFound()  # Vault answers an empty list with 404
        return Response(data={"keys": [e.id for e in entities],
                              "key_info": {e.id: entity_key_info(e, self.mounts) for e in entities}})

    def list_by_name(self, request: Request, args: NoArgs) -> Response:
        names = sorted(e.name for e in self.store.entities())
        if not names:
            raise NotFound()
        return Response(data={"keys": names})


def paths(store: IdentityStore, mounts: MountLookup) -> list[Path[Any]]:
    e = EntityPaths(store, mounts)
    read, update, delete, list_ = Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.LIST
    return [
        Path("entity", EntityArgs, {update: e.upsert}, synopsis="Create an entity, or update one by id or name."),
        Path("entity/batch-delete", BatchDeleteArgs, {update: e.batch_delete}, synopsis="Delete several entities."),
        Path("entity/id/?", NoArgs, {list_: e.list_by_id}, synopsis="List entities by id."),
        Path("entity/name/?", NoArgs, {list_: e.list_by_name}, synopsis="List entities by name."),
        Path("entity/id/(?P<id>[^/]+)", EntityArgs, {read: e.read_by_id, update: e.write_by_id, delete: e.delete_by_id},
             synopsis="Read, update or delete an entity by id."),
        Path("entity/name/(?P<name>[^/]+)", EntityArgs,
             {read: e.read_by_name, update: e.write_by_name, delete: e.delete_by_name},
             synopsis="Read, create or update, or delete an entity by name."),
    ]
