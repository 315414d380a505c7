"""What an entity brings to a request: its policies and its groups' (direct and inherited), and the values
templated policy paths are filled from. Cached per entity until the next identity write or external change.

Template values are keyed by the placeholder text without braces, as Vault names them:
    identity.entity.id / .name / .metadata.<k>
    identity.entity.aliases.<mount accessor>.id / .name / .metadata.<k> / .custom_metadata.<k>
    identity.groups.ids.<group id>.name / .metadata.<k>
    identity.groups.names.<group name>.id / .metadata.<k>
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.core.identity.model import Entity, Group
from strongroom.core.identity.store import IdentityStore

_CACHE_LIMIT = 10_000


@dataclass(frozen=True)
class IdentityView:
    entity_id: str
    disabled: bool
    policies: tuple[str, ...]
    direct_group_ids: tuple[str, ...]
    inherited_group_ids: tuple[str, ...]
    template_values: Mapping[str, str] = field(default_factory=dict, hash=False)


def group_closure(groups: list[Group], entity_id: str) -> tuple[list[Group], list[Group]]:
    """The entity's direct groups, and the groups it belongs to through them (parents, transitively)."""
    by_id = {g.id: g for g in groups}
    direct = [g for g in groups if entity_id in g.member_entity_ids]
    parents: dict[str, list[Group]] = {}
    for group in groups:
        for member in group.member_group_ids:
            parents.setdefault(member, []).append(group)
    seen = {g.id for g in direct}
    inherited: list[Group] = []
    frontier = [g.id for g in direct]
    while frontier:  # breadth-first; `seen` stops cycles
        current = frontier.pop(0)
        for parent in parents.get(current, []):
            if parent.id not in seen and parent.id in by_id:
                seen.add(parent.id)
                inherited.append(parent)
                frontier.append(parent.id)
    return direct, inherited


def template_values(entity: Entity, groups: list[Group]) -> dict[str, str]:
    values = {"identity.entity.id": entity.id, "identity.entity.name": entity.name}
    values.update({f"identity.entity.metadata.{k}": v for k, v in entity.metadata.items()})
    for alias in entity.aliases:
        base = f"identity.entity.aliases.{alias.mount_accessor}"
        values[f"{base}.id"] = alias.id
        values[f"{base}.name"] = alias.name
        values.update({f"{base}.metadata.{k}": v for k, v in alias.metadata.items()})
        values.update({f"{base}.custom_metadata.{k}": v for k, v in alias.custom_metadata.items()})
    for group in groups:
        values[f"identity.groups.ids.{group.id}.name"] = group.name
        values[f"identity.groups.names.{group.name}.id"] = group.id
        for k, v in group.metadata.items():
            values[f"identity.groups.ids.{group.id}.metadata.{k}"] = v
            values[f"identity.groups.names.{group.name}.metadata.{k}"] = v
    return values


class Resolver:
    """Identity views by entity id, cached until the store's generation moves (any identity write in this
    process, or `IdentityStore.invalidate` for another process's)."""

    def __init__(self, store: IdentityStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._views: dict[str, tuple[int, IdentityView | None]] = {}

    def view(self, entity_id: str) -> IdentityView | None:
        """What the entity (or the entity it was merged into) brings; None when it no longer exists."""
        generation = self.store.generation
        cached = self._views.get(entity_id)
        if cached is not None and cached[0] == generation:
            return cached[1]
        view = self._build(entity_id)
        with self._lock:
            if len(self._views) >= _CACHE_LIMIT:
                self._views.clear()
            self._views[entity_id] = (generation, view)
        return view

    def _build(self, entity_id: str) -> IdentityView | None:
        entity = self.store.entity_or_merged(entity_id)
        if entity is None:
            return None
        direct, inherited = group_closure(self.store.groups(), entity.id)
        policies: list[str] = list(entity.policies)
        for group in (*direct, *inherited):
            policies.extend(p for p in group.policies if p not in policies)
        return IdentityView(
            entity_id=entity.id, disabled=entity.disabled, policies=tuple(policies),
            direct_group_ids=tuple(g.id for g in direct), inherited_group_ids=tuple(g.id for g in inherited),
            template_values=template_values(entity, [*direct, *inherited]),
        )
