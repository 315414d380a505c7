from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.core.identity.login import on_login
from strongroom.core.identity.model import Group, GroupAlias
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.errors import PermissionDenied


def _external(store: IdentityStore, group_id: str, accessor: str, alias: str) -> None:
    store.save_group(Group(id=group_id, name=group_id, type="external", creation_time=1.0, last_update_time=1.0,
                           alias=GroupAlias(id=f"ga-{group_id}", canonical_id=group_id, mount_accessor=accessor,
                                            name=alias, creation_time=1.0, last_update_time=1.0)))


def test_first_login_creates_an_entity_and_later_ones_find_it(store: IdentityStore) -> None:
    entity_id = on_login(store, "up", "alice", {}, ())
    entity = store.entity(entity_id)
    assert entity is not None and entity.name.startswith("entity_") and len(entity.aliases) == 1
    assert on_login(store, "up", "alice", {}, ()) == entity_id
    assert on_login(store, "up", "bob", {}, ()) != entity_id
    assert on_login(store, "other", "alice", {}, ()) != entity_id
    assert on_login(store, "up", "", {}, ()) == ""


def test_two_processes_racing_on_a_first_login_make_one_entity(store: IdentityStore) -> None:
    other = IdentityStore(store.storage, store.clock)
    assert on_login(store, "up", "alice", {}, ()) == on_login(other, "up", "alice", {}, ())
    assert len(store.entities()) == 1


def test_alias_metadata_follows_the_auth_method(store: IdentityStore) -> None:
    entity_id = on_login(store, "jwt", "alice", {"email": "a@x"}, ())
    on_login(store, "jwt", "alice", {"email": "b@x"}, ())
    entity = store.entity(entity_id)
    assert entity is not None and entity.aliases[0].metadata == {"email": "b@x"}


def test_disabled_entity_cannot_log_in(store: IdentityStore) -> None:
    entity = store.entity(on_login(store, "up", "alice", {}, ()))
    assert entity is not None
    store.save_entity(entity.with_(disabled=True), entity)
    with pytest.raises(PermissionDenied):
        on_login(store, "up", "alice", {}, ())


def test_external_group_membership_follows_the_vouched_names(store: IdentityStore) -> None:
    _external(store, "admins", "jwt", "admins")
    _external(store, "devs", "jwt", "devs")
    _external(store, "gh-admins", "github", "admins")  # same alias name on another mount
    entity_id = on_login(store, "jwt", "alice", {}, ("admins", "devs"))
    members = {g.id for g in store.groups() if entity_id in g.member_entity_ids}
    assert members == {"admins", "devs"}
    on_login(store, "jwt", "alice", {}, ("devs",))
    members = {g.id for g in store.groups() if entity_id in g.member_entity_ids}
    assert members == {"devs"}


def test_a_login_without_group_changes_writes_no_group(store: IdentityStore) -> None:
    _external(store, "devs", "jwt", "devs")
    on_login(store, "jwt", "alice", {}, ("devs",))
    before = store.group("devs")
    on_login(store, "jwt", "alice", {}, ("devs",))
    assert store.group("devs") == before


def test_a_login_brings_back_an_alias_removed_by_hand(store: IdentityStore) -> None:
    entity_id = on_login(store, "up", "alice", {}, ())
    entity = store.entity(entity_id)
    assert entity is not None
    store.save_entity(entity.with_(aliases=()), entity)
    assert on_login(store, "up", "alice", {}, ()) == entity_id
    assert store.entity_by_alias("up", "alice").id == entity_id  # type: ignore[union-attr]


def test_the_derived_entity_never_gets_two_aliases_on_one_mount(store: IdentityStore) -> None:
    entity_id = on_login(store, "up", "alice", {}, ())
    entity = store.entity(entity_id)
    assert entity is not None
    renamed = replace(entity.aliases[0], name="alice-by-hand")
    store.save_entity(entity.with_(aliases=(renamed,)), entity)
    other = on_login(store, "up", "alice", {}, ())
    assert other != entity_id
    assert [len(e.aliases) for e in store.entities()] == [1, 1]
