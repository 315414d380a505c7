from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound

from .conftest import GITHUB, IdentityHarness


def test_internal_group_shape_and_update(ident: IdentityHarness) -> None:
    api = ident.api
    eid = api.write("entity", name="alice").data["id"]  # type: ignore[index]
    created = api.write("group", name="eng", policies=["dev"], member_entity_ids=[eid], metadata={"x": "y"}).data
    assert created is not None and set(created) == {"id", "name"}
    data = api.read(f"group/id/{created['id']}").data
    assert data is not None
    assert data["alias"] == {} and data["member_entity_ids"] == [eid] and data["member_group_ids"] is None
    assert data["modify_index"] == 1 and data["type"] == "internal" and data["parent_group_ids"] is None
    assert api.write("group/name/eng", policies=["dev", "p2"]).is_empty()
    again = api.read("group/name/eng").data
    assert again is not None and again["policies"] == ["dev", "p2"] and again["member_entity_ids"] == [eid]
    assert again["modify_index"] == 2
    entity = api.read(f"entity/id/{eid}").data
    assert entity is not None and entity["direct_group_ids"] == [created["id"]]


def test_nested_groups_parents_and_cycles(ident: IdentityHarness) -> None:
    api = ident.api
    child = api.write("group", name="child").data["id"]  # type: ignore[index]
    parent = api.write("group", name="parent", member_group_ids=[child]).data["id"]  # type: ignore[index]
    assert api.read(f"group/id/{child}").data["parent_group_ids"] == [parent]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="member of itself"):
        api.write(f"group/id/{child}", member_group_ids=[parent])
    with pytest.raises(InvalidRequest, match="member of itself"):
        api.write(f"group/id/{child}", member_group_ids=[child])
    with pytest.raises(InvalidRequest, match="invalid group ID"):
        api.write("group", name="x", member_group_ids=["nope"])
    with pytest.raises(InvalidRequest, match="invalid entity ID"):
        api.write("group", name="x", member_entity_ids=["nope"])
    listed = api.list("group/id/").data
    assert listed is not None and listed["key_info"][child]["num_parent_groups"] == 1
    assert api.list("group/name/").data == {"keys": ["child", "parent"]}


def test_external_group_rules(ident: IdentityHarness) -> None:
    api = ident.api
    eid = api.write("entity", name="alice").data["id"]  # type: ignore[index]
    gid = api.write("group", name="gh", type="external", policies=["p2"]).data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="external"):
        api.write(f"group/id/{gid}", member_entity_ids=[eid])
    with pytest.raises(InvalidRequest, match="type cannot be changed"):
        api.write(f"group/id/{gid}", type="internal")
    with pytest.raises(InvalidRequest, match="invalid group type"):
        api.write("group", name="odd", type="weird")
    alias = api.write("group-alias", name="octo-team", mount_accessor=GITHUB, canonical_id=gid).data
    assert alias is not None and alias["canonical_id"] == gid
    data = api.read(f"group/id/{gid}").data
    assert data is not None and data["alias"]["name"] == "octo-team"
    assert data["alias"]["mount_path"] == "auth/github/"


@pytest.mark.parametrize("spelling", ["ROOT", " root", "r\u043e\u043et", "\u200broot"])
def test_root_cannot_be_given_to_a_group(ident: IdentityHarness, spelling: str) -> None:
    with pytest.raises(InvalidRequest, match="root"):
        ident.api.write("group", name="admins", policies=[spelling])
    gid = ident.api.write("group", name="admins").data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="root"):
        ident.api.write(f"group/id/{gid}", policies=["x", spelling])
    assert ident.api.read("group/name/admins").data["policies"] == []  # type: ignore[index]


def test_deleting_groups(ident: IdentityHarness) -> None:
    api = ident.api
    gid = api.write("group", name="gone").data["id"]  # type: ignore[index]
    api.delete("group/name/gone")
    assert ident.store.group(gid) is None
    for path in ("group/id/", "group/name/", "group-alias/id/", "entity-alias/id/"):
        with pytest.raises(NotFound):
            api.list(path)


def test_group_renames_and_missing_groups(ident: IdentityHarness) -> None:
    api = ident.api
    api.write("group", name="one")
    two = api.write("group", name="two").data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="already in use"):
        api.write(f"group/id/{two}", name="ONE")
    api.write(f"group/id/{two}", name="deux", metadata={"k": "v"})
    assert api.read("group/name/deux").data["metadata"] == {"k": "v"}  # type: ignore[index]
    with pytest.raises(NotFound):
        api.write("group/id/nope", policies=["x"])
    with pytest.raises(NotFound):
        api.read("group/name/nope")
    assert api.write("group/name/created-by-path", policies=["p"]).data["name"] == "created-by-path"  # type: ignore[index]
    api.delete(f"group/id/{two}")
    assert ident.store.group(two) is None
