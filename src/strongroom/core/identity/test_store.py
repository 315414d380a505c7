from __future__ import annotations

from dataclasses import replace

from strongroom.core.identity.model import Entity, EntityAlias, Group
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage


def _entity(entity_id: str, name: str, *aliases: tuple[str, str]) -> Entity:
    return Entity(id=entity_id, name=name, creation_time=1.0, last_update_time=1.0, aliases=tuple(
        EntityAlias(id=f"{entity_id}-{m}", canonical_id=entity_id, mount_accessor=m, name=n, creation_time=1.0,
                    last_update_time=1.0) for m, n in aliases))


def test_lookups_by_name_alias_and_alias_id(store: IdentityStore) -> None:
    store.save_entity(_entity("e1", "Alice", ("up", "alice")))
    assert store.entity_by_name("alice") == store.entity_by_name("ALICE") == store.entity("e1")
    assert store.entity_by_alias("up", "alice") == store.entity("e1")
    assert store.entity_by_alias("up", "Alice") is None  # alias names match exactly
    assert store.entity_by_alias_id("e1-up") == store.entity("e1")
    assert store.entity("../e1") is None and store.entity("") is None


def test_renaming_drops_the_old_index(store: IdentityStore) -> None:
    before = _entity("e1", "alice")
    store.save_entity(before)
    store.save_entity(before.with_(name="alicia"), before)
    assert store.entity_by_name("alice") is None
    assert store.entity_by_name("alicia") is not None


def test_an_alias_moving_between_entities_keeps_its_index(store: IdentityStore) -> None:
    a, b = _entity("ea", "a", ("up", "bob")), _entity("eb", "b")
    store.save_entities([(a, None), (b, None)])
    alias = a.aliases[0]
    moved = replace(alias, canonical_id="eb")
    store.save_entities([(a.with_(aliases=()), a), (b.with_(aliases=(moved,)), b)])
    found = store.entity_by_alias("up", "bob")
    assert found is not None and found.id == "eb"
    assert store.entity_by_alias_id(alias.id) == found


def test_names_never_appear_in_storage_keys() -> None:
    storage = InMemoryStorage()
    store = IdentityStore(storage, FrozenClock())
    store.save_entity(_entity("e1", "secret-person", ("up", "secret-login")))
    keys = [k for prefix in ("index/entity-name/", "index/entity-alias/") for k in storage.list(prefix)]
    assert keys and not any("secret" in k for k in keys)


def test_deleting_an_entity_removes_it_from_groups_and_indexes(store: IdentityStore) -> None:
    entity = _entity("e1", "alice", ("up", "alice"))
    store.save_entity(entity)
    store.save_group(Group(id="g1", name="eng", type="internal", creation_time=1.0, last_update_time=1.0,
                           member_entity_ids=("e1", "e2")))
    store.delete_entity(entity)
    assert store.entity_by_alias("up", "alice") is None and store.entity_by_name("alice") is None
    group = store.group("g1")
    assert group is not None and group.member_entity_ids == ("e2",)


def test_deleting_a_group_removes_it_from_parents(store: IdentityStore) -> None:
    child = Group(id="c", name="child", type="internal", creation_time=1.0, last_update_time=1.0)
    parent = Group(id="p", name="parent", type="internal", creation_time=1.0, last_update_time=1.0,
                   member_group_ids=("c",))
    store.save_groups([(child, None), (parent, None)])
    store.delete_group(child)
    assert store.group_by_name("child") is None
    assert store.group("p").member_group_ids == ()  # type: ignore[union-attr]


def test_group_list_is_cached_until_a_write_or_invalidate(store: IdentityStore) -> None:
    store.save_group(Group(id="g1", name="one", type="internal", creation_time=1.0, last_update_time=1.0))
    assert [g.name for g in store.groups()] == ["one"]
    # Another process writes the same storage directly: invisible until invalidate().
    other = IdentityStore(store.storage, store.clock)
    other.save_group(Group(id="g2", name="two", type="internal", creation_time=1.0, last_update_time=1.0))
    assert [g.name for g in store.groups()] == ["one"]
    generation = store.generation
    store.invalidate()
    assert store.generation > generation
    assert [g.name for g in store.groups()] == ["one", "two"]


def test_merged_away_entities_resolve_to_their_target(store: IdentityStore) -> None:
    store.save_entity(_entity("e1", "alice").with_(merged_entity_ids=("old",)))
    assert store.entity_or_merged("old") == store.entity("e1")
    assert store.entity_or_merged("unknown") is None


def test_derived_ids_are_stable_per_store_salt(store: IdentityStore) -> None:
    first = store.derived_id("entity", "up", "alice")
    assert first == IdentityStore(store.storage, store.clock).derived_id("entity", "up", "alice")
    assert first != store.derived_id("entity", "up", "bob")
