"""identity/group: internal groups (explicit member entities and member groups) and external groups (members
follow the auth method at each login, through the group's alias).

Fields left out of an update keep their values; a group's type never changes. Creating answers 200 with
{"id", "name"}, updating 204. Member ids must exist, and a group may not contain itself, directly or through
other groups. Policies go through `check_policies`: "root" in any spelling is a 400.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.core.identity.api import MountLookup, group_data, group_key_info
from strongroom.core.identity.model import EXTERNAL, INTERNAL, Group, check_policies
from strongroom.core.identity.path_entity import check_name
from strongroom.core.identity.store import IdentityStore
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class GroupArgs:
    id: str = arg("Group id (from the path, or in the body of identity/group to update that group).", "")
    name: str = arg("Group name (unique, case-insensitive); generated when omitted.", "")
    type: str = arg('"internal" (default) or "external"; fixed once created.', "")
    policies: list[str] | None = arg("Policies the group grants to its members' tokens.", None)
    member_entity_ids: list[str] | None = arg("Member entities (internal groups only).", None)
    member_group_ids: list[str] | None = arg("Member groups: their members inherit this group's policies.", None)
    metadata: dict[str, str] | None = arg("Free-form metadata, usable in policy templates.", None)


@dataclass(frozen=True)
class NoArgs:
    pass


class GroupPaths:
    def __init__(self, store: IdentityStore, mounts: MountLookup) -> None:
        self.store = store
        self.mounts = mounts

    def _found(self, group: Group | None) -> Group:
        if group is None:
            raise NotFound()
        return group

    def upsert(self, request: Request, args: GroupArgs) -> Response:
        """identity/group: update by id, else by name, else create."""
        with self.store.lock:
            if args.id:
                return self._update(self._found(self.store.group(args.id)), args)
            existing = self.store.group_by_name(args.name) if args.name else None
            return self._create(args) if existing is None else self._update(existing, args)

    def write_by_id(self, request: Request, args: GroupArgs) -> Response:
        with self.store.lock:
            return self._update(self._found(self.store.group(args.id)), args)

    def write_by_name(self, request: Request, args: GroupArgs) -> Response:
        with self.store.lock:
            existing = self.store.group_by_name(args.name)
            return self._create(args) if existing is None else self._update(existing, args)

    def _create(self, args: GroupArgs) -> Response:
        kind = (args.type or INTERNAL).lower()
        if kind not in (INTERNAL, EXTERNAL):
            raise InvalidRequest(f"invalid group type {args.type[:16]!r}")
        now = self.store.clock.now()
        group_id = new_uuid()
        name = check_name(args.name) if args.name else f"group_{group_id[:8]}"
        group = Group(id=group_id, name=name, type=kind, creation_time=now, last_update_time=now,
                      policies=check_policies(args.policies or ()), metadata=dict(args.metadata or {}))
        group = replace(group, **self._members(group, args))
        self.store.save_group(group)
        return Response(data={"id": group.id, "name": group.name})

    def _update(self, group: Group, args: GroupArgs) -> Response:
        if args.type and args.type.lower() != group.type:
            raise InvalidRequest("group type cannot be changed")
        changes: dict[str, Any] = {}
        if args.name and args.name != group.name:
            other = self.store.group_by_name(args.name)
            if other is not None and other.id != group.id:
                raise InvalidRequest("group name is already in use")
            changes["name"] = check_name(args.name)
        if args.policies is not None:
            changes["policies"] = check_policies(args.policies)
        if args.metadata is not None:
            changes["metadata"] = dict(args.metadata)
        changes.update(self._members(group, args))
        self.store.save_group(group.with_(**changes, last_update_time=self.store.clock.now()), group)
        return Response()

    def _members(self, group: Group, args: GroupArgs) -> dict[str, Any]:
        """The requested member changes for `group`, once they are checked."""
        changes: dict[str, Any] = {}
        if args.member_entity_ids is not None:
            entity_ids = tuple(dict.fromkeys(args.member_entity_ids))
            if entity_ids and group.type == EXTERNAL:
                raise InvalidRequest("member entities can't be set manually for external groups")
            for entity_id in entity_ids:
                if self.store.entity(entity_id) is None:
                    raise InvalidRequest(f"invalid entity ID {entity_id[:64]!r}")
            changes["member_entity_ids"] = entity_ids
        if args.member_group_ids is not None:
            group_ids = tuple(dict.fromkeys(args.member_group_ids))
            if group_ids and group.type == EXTERNAL:
                raise InvalidRequest("member groups can't be set for external groups")
            self._check_member_groups(group.id, group_ids)
            changes["member_group_ids"] = group_ids
        return changes

    def _check_member_groups(self, group_id: str, member_ids: tuple[str, ...]) -> None:
        by_id = {g.id: g for g in self.store.groups()}
        for member_id in member_ids:
            if member_id not in by_id:
                raise InvalidRequest(f"invalid group ID {member_id[:64]!r}")
        # A cycle would appear if `group_id` can be reached from one of its new members.
        frontier, seen = list(member_ids), set()
        while frontier:
            current = frontier.pop()
            if current == group_id:
                raise InvalidRequest("a group cannot be a member of itself, directly or through other groups")
            if current not in seen and current in by_id:
                seen.add(current)
                frontier.extend(by_id[current].member_group_ids)

    # --- read, delete, list ---------------------------------------------------------------------------------
    def _read(self, group: Group) -> Response:
        return Response(data=group_data(group, self.store.groups(), self.mounts))

    def read_by_id(self, request: Request, args: GroupArgs) -> Response:
        return self._read(self._found(self.store.group(args.id)))

    def read_by_name(self, request: Request, args: GroupArgs) -> Response:
        return self._read(self._found(self.store.group_by_name(args.name)))

    def delete_by_id(self, request: Request, args: GroupArgs) -> Response:
        with self.store.lock:
            group = self.store.group(args.id)
            if group is not None:
                self.store.delete_group(group)
        return Response()

    def delete_by_name(self, request: Request, args: GroupArgs) -> Response:
        with self.store.lock:
            group = self.store.group_by_name(args.name)
            if group is not None:
                self.store.delete_group(group)
        return Response()

    def list_by_id(self, request: Request, args: NoArgs) -> Response:
        groups = self.store.groups()
        if not groups:
            raise NotFound()  # Vault answers an empty list with 404
        ordered = sorted(groups, key=lambda g: g.id)
        return Response(data={"keys": [g.id for g in ordered],
                              "key_info": {g.id: group_key_info(g, groups) for g in ordered}})

    def list_by_name(self, request: Request, args: NoArgs) -> Response:
        names = sorted(g.name for g in self.store.groups())
        if not names:
            raise NotFound()
        return Response(data={"keys": names})


def paths(store: IdentityStore, mounts: MountLookup) -> list[Path[Any]]:
    g = GroupPaths(store, mounts)
    read, update, delete, list_ = Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.LIST
    return [
        Path("group", GroupArgs, {update: g.upsert}, synopsis="Create a group, or update one by id or name."),
        Path("group/id/?", NoArgs, {list_: g.list_by_id}, synopsis="List groups by id."),
        Path("group/name/?", NoArgs, {list_: g.list_by_name}, synopsis="List groups by name."),
        Path("group/id/(?P<id>[^/]+)", GroupArgs, {read: g.read_by_id, update: g.write_by_id, delete: g.delete_by_id},
             synopsis="Read, update or delete a group by id."),
        Path("group/name/(?P<name>[^/]+)", GroupArgs,
             {read: g.read_by_name, update: g.write_by_name, delete: g.delete_by_name},
             synopsis="Read, create or update, or delete a group by name."),
    ]
