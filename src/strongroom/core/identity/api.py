"""The wire shapes of identity records (what `identity/` reads and lists answer), as Vault renders them.

`MountLookup` turns a mount accessor into (mount path, mount type), e.g. ("auth/userpass/", "userpass"); an
accessor of a mount that no longer exists gives ("", "").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strongroom.core.identity.model import Entity, EntityAlias, Group
from strongroom.core.identity.resolve import group_closure
from strongroom.sdk.clock import rfc3339

MountLookup = Callable[[str], tuple[str, str]]


def alias_data(alias: EntityAlias, mounts: MountLookup) -> dict[str, Any]:
    return alias.api(*mounts(alias.mount_accessor))


def entity_data(entity: Entity, groups: list[Group], mounts: MountLookup) -> dict[str, Any]:
    """The full entity, as `identity/entity/id/<id>` and `identity/lookup/entity` answer."""
    direct, inherited = group_closure(groups, entity.id)
    direct_ids = [g.id for g in direct]
    inherited_ids = [g.id for g in inherited]
    return {
        "aliases": [alias_data(a, mounts) for a in entity.aliases],
        "creation_time": rfc3339(entity.creation_time),
        "direct_group_ids": direct_ids,
        "disabled": entity.disabled,
        "group_ids": [*direct_ids, *inherited_ids],
        "id": entity.id,
        "inherited_group_ids": inherited_ids,
        "last_update_time": rfc3339(entity.last_update_time),
        "merged_entity_ids": list(entity.merged_entity_ids) or None,
        "metadata": dict(entity.metadata) or None,
        "name": entity.name,
        "namespace_id": "root",
        "policies": list(entity.policies),
    }


def entity_key_info(entity: Entity, mounts: MountLookup) -> dict[str, Any]:
    """One entry of `LIST identity/entity/id`'s key_info."""
    aliases = []
    for alias in entity.aliases:
        path, type_ = mounts(alias.mount_accessor)
        aliases.append({"id": alias.id, "mount_accessor": alias.mount_accessor, "mount_path": path,
                        "mount_type": type_, "name": alias.name})
    return {"aliases": aliases, "name": entity.name}


def alias_key_info(alias: EntityAlias, mounts: MountLookup) -> dict[str, Any]:
    """One entry of `LIST identity/entity-alias/id`'s key_info."""
    path, type_ = mounts(alias.mount_accessor)
    return {"canonical_id": alias.canonical_id, "custom_metadata": dict(alias.custom_metadata) or None,
            "local": False, "mount_accessor": alias.mount_accessor, "mount_path": path, "mount_type": type_,
            "name": alias.name}


def group_data(group: Group, groups: list[Group], mounts: MountLookup) -> dict[str, Any]:
    """The full group, as `identity/group/id/<id>` and `identity/lookup/group` answer."""
    parents = [g.id for g in groups if group.id in g.member_group_ids]
    alias: dict[str, Any] = {}
    if group.alias is not None:
        alias = group.alias.api(*mounts(group.alias.mount_accessor))
    return {
        "alias": alias,
        "creation_time": rfc3339(group.creation_time),
        "id": group.id,
        "last_update_time": rfc3339(group.last_update_time),
        "member_entity_ids": list(group.member_entity_ids),
        "member_group_ids": list(group.member_group_ids) or None,
        "metadata": dict(group.metadata) or None,
        "modify_index": group.modify_index,
        "name": group.name,
        "namespace_id": "root",
        "parent_group_ids": parents or None,
        "policies": list(group.policies),
        "type": group.type,
    }


def group_key_info(group: Group, groups: list[Group]) -> dict[str, Any]:
    """One entry of `LIST identity/group/id`'s key_info."""
    parents = sum(1 for g in groups if group.id in g.member_group_ids)
    return {"name": group.name, "num_member_entities": len(group.member_entity_ids), "num_parent_groups": parents}
