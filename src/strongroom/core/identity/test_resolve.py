from __future__ import annotations

from strongroom.core.identity.model import Entity, EntityAlias, Group
from strongroom.core.identity.resolve import Resolver, group_closure
from strongroom.core.identity.store import IdentityStore


def _group(group_id: str, policies: tuple[str, ...] = (), entities: tuple[str, ...] = (),
           groups: tuple[str, ...] = ()) -> Group:
    return Group(id=group_id, name=f"n-{group_id}", type="internal", creation_time=1.0, last_update_time=1.0,
                 policies=policies, member_entity_ids=entities, member_group_ids=groups, metadata={"k": group_id})


def test_closure_follows_parents_transitively_and_survives_cycles() -> None:
    groups = [_group("a", entities=("e",)), _group("b", groups=("a",)), _group("c", groups=("b",)),
              _group("d", groups=("c", "a")), _group("x"), _group("c2", groups=("d",))]
    groups.append(_group("loop", groups=("c2",)))
    groups[0] = _group("a", entities=("e",), groups=("loop",))  # a cycle through a
    direct, inherited = group_closure(groups, "e")
    assert [g.id for g in direct] == ["a"]
    assert sorted(g.id for g in inherited) == ["b", "c", "c2", "d", "loop"]


def test_view_joins_entity_and_group_policies_and_template_values(store: IdentityStore) -> None:
    alias = EntityAlias(id="al", canonical_id="e", mount_accessor="up", name="alice", creation_time=1.0,
                        last_update_time=1.0, metadata={"m": "1"}, custom_metadata={"c": "2"})
    store.save_entity(Entity(id="e", name="alice", creation_time=1.0, last_update_time=1.0, policies=("own",),
                             metadata={"team": "pay"}, aliases=(alias,)))
    store.save_groups([(_group("g1", ("dev", "own"), entities=("e",)), None),
                       (_group("g2", ("ops",), groups=("g1",)), None)])
    view = Resolver(store).view("e")
    assert view is not None
    assert view.policies == ("own", "dev", "ops")
    assert (view.direct_group_ids, view.inherited_group_ids) == (("g1",), ("g2",))
    values = view.template_values
    assert values["identity.entity.metadata.team"] == "pay"
    assert values["identity.entity.aliases.up.name"] == "alice"
    assert values["identity.entity.aliases.up.metadata.m"] == "1"
    assert values["identity.entity.aliases.up.custom_metadata.c"] == "2"
    assert values["identity.groups.names.n-g2.id"] == "g2"
    assert values["identity.groups.ids.g1.metadata.k"] == "g1"


def test_view_follows_writes_and_invalidation(store: IdentityStore) -> None:
    store.save_entity(Entity(id="e", name="alice", creation_time=1.0, last_update_time=1.0, policies=("a",)))
    resolver = Resolver(store)
    assert resolver.view("e").policies == ("a",)  # type: ignore[union-attr]
    other = IdentityStore(store.storage, store.clock)  # another process
    entity = other.entity("e")
    assert entity is not None
    other.save_entity(entity.with_(policies=("b",), disabled=True), entity)
    assert resolver.view("e").policies == ("a",)  # type: ignore[union-attr]
    store.invalidate()
    view = resolver.view("e")
    assert view is not None and view.policies == ("b",) and view.disabled
    assert resolver.view("missing") is None
