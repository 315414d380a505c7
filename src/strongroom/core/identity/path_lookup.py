"""identity/lookup/entity and identity/lookup/group: find one record by exactly one criterion (id, name, alias
id, or alias name with its mount accessor). The full record comes back; nothing found is a 204, as in Vault."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.core.identity.api import MountLookup, entity_data, group_data
from strongroom.core.identity.model import Entity, Group
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class LookupArgs:
    id: str = arg("Id of the record.", "")
    name: str = arg("Name of the record.", "")
    alias_id: str = arg("Id of one of its aliases.", "")
    alias_name: str = arg("Name of one of its aliases (with alias_mount_accessor).", "")
    alias_mount_accessor: str = arg("Mount accessor of the alias named by alias_name.", "")


def _criterion(args: LookupArgs) -> str:
    given = [k for k in ("id", "name", "alias_id", "alias_name") if getattr(args, k)]
    if len(given) != 1:
        raise InvalidRequest("exactly one of id, name, alias_id or alias_name (with alias_mount_accessor) is needed")
    if given[0] == "alias_name" and not args.alias_mount_accessor:
        raise InvalidRequest("missing 'alias_mount_accessor' for 'alias_name'")
    return given[0]


def paths(store: IdentityStore, mounts: MountLookup) -> list[Path[Any]]:
    def entity(request: Request, args: LookupArgs) -> Response:
        found: Entity | None = {
            "id": lambda: store.entity(args.id),
            "name": lambda: store.entity_by_name(args.name),
            "alias_id": lambda: store.entity_by_alias_id(args.alias_id),
            "alias_name": lambda: store.entity_by_alias(args.alias_mount_accessor, args.alias_name),
        }[_criterion(args)]()
        return Response() if found is None else Response(data=entity_data(found, store.groups(), mounts))

    def group(request: Request, args: LookupArgs) -> Response:
        found: Group | None = {
            "id": lambda: store.group(args.id),
            "name": lambda: store.group_by_name(args.name),
            "alias_id": lambda: store.group_by_alias_id(args.alias_id),
            "alias_name": lambda: store.group_by_alias(args.alias_mount_accessor, args.alias_name),
        }[_criterion(args)]()
        return Response() if found is None else Response(data=group_data(found, store.groups(), mounts))

    return [
        Path("lookup/entity", LookupArgs, {Operation.UPDATE: entity}, synopsis="Look up an entity."),
        Path("lookup/group", LookupArgs, {Operation.UPDATE: group}, synopsis="Look up a group."),
    ]
