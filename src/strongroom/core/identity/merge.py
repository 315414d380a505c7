"""identity/entity/merge: fold entities into one.

Contract, as Vault: the aliases of every `from_entity_ids` entity move to `to_entity_id` (each remembers where
it came from in `merged_from_canonical_ids`), group memberships follow, and the from-entities are deleted; their
ids go to the target's `merged_entity_ids`, so tokens issued for them keep working as the target. An entity has
one alias per mount: if two of the entities have aliases on the same mount the merge is refused (400) unless
`conflicting_alias_ids_to_keep` names, for each clash, the alias to keep, and then only one from-entity is
allowed. `force` is accepted for compatibility (in Vault it concerns MFA secrets, which Strongroom has not).
The entities are written in one atomic batch, the group memberships right after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.core.identity.model import Entity, EntityAlias, Group
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class MergeArgs:
    from_entity_ids: list[str] = arg("Entities to merge away.", factory=list)
    to_entity_id: str = arg("The entity that remains.", "")
    force: bool = arg("Accepted for compatibility (MFA secrets in Vault).", False)
    conflicting_alias_ids_to_keep: list[str] = arg("For each mount two entities have aliases on, the alias to "
                                                   "keep (only with a single from-entity).", factory=list)


def _sources(store: IdentityStore, args: MergeArgs) -> tuple[Entity, list[Entity]]:
    target = store.entity(args.to_entity_id) if args.to_entity_id else None
    if target is None:
        raise InvalidRequest("entity id to merge to is invalid")
    sources = []
    for entity_id in dict.fromkeys(args.from_entity_ids):
        if entity_id == target.id:
            raise InvalidRequest("cannot merge an entity into itself")
        entity = store.entity(entity_id)
        if entity is None:
            raise InvalidRequest("entity id to merge from is invalid")
        sources.append(entity)
    if not sources:
        raise InvalidRequest("missing from_entity_ids")
    return target, sources


def merged_aliases(target: Entity, sources: list[Entity], keep: list[str]) -> tuple[EntityAlias, ...]:
    """The target's aliases after the merge; a clash on one mount is resolved by `keep` or refused."""
    by_mount: dict[str, EntityAlias] = {a.mount_accessor: a for a in target.aliases}
    clashes: list[str] = []
    for source in sources:
        for alias in source.aliases:
            moved = replace(alias, canonical_id=target.id,
                            merged_from_canonical_ids=(*alias.merged_from_canonical_ids, source.id))
            present = by_mount.get(alias.mount_accessor)
            if present is None or alias.id in keep:
                by_mount[alias.mount_accessor] = moved
            elif present.id not in keep:
                clashes.append(f"{present.id}, {alias.id}")
    if clashes:
        raise InvalidRequest("the entities have aliases on the same mount; repeat with conflicting_alias_ids_to_keep"
                             f" naming the alias to keep for each of these pairs: {'; '.join(clashes)}")
    if keep and len(sources) > 1:
        raise InvalidRequest("conflicting_alias_ids_to_keep allows only one entity in from_entity_ids")
    return tuple(by_mount.values())


def _groups_after(groups: list[Group], target_id: str, merged: set[str], now: float) -> list[tuple[Group, Group]]:
    changes = []
    for group in groups:
        if merged.isdisjoint(group.member_entity_ids):
            continue
        members = dict.fromkeys(target_id if m in merged else m for m in group.member_entity_ids)
        changes.append((group.with_(member_entity_ids=tuple(members), last_update_time=now), group))
    return changes


def merge(store: IdentityStore, args: MergeArgs) -> None:
    with store.lock:
        target, sources = _sources(store, args)
        aliases = merged_aliases(target, sources, args.conflicting_alias_ids_to_keep)
        now = store.clock.now()
        merged_ids = (*target.merged_entity_ids, *(i for s in sources for i in (s.id, *s.merged_entity_ids)))
        result = target.with_(aliases=aliases, merged_entity_ids=tuple(dict.fromkeys(merged_ids)),
                              last_update_time=now)
        # Sources go first (their indexes are removed), then the target writes the moved aliases' indexes.
        store.save_entities([(result, target)], removed=sources)
        store.save_groups(_groups_after(store.groups(), target.id, {s.id for s in sources}, now))


def path_merge(store: IdentityStore) -> Path[Any]:
    def handle(request: Request, args: MergeArgs) -> Response:
        merge(store, args)
        return Response()

    return Path("entity/merge", MergeArgs, {Operation.UPDATE: handle}, synopsis="Merge entities into one.")
