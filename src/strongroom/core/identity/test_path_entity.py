from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound

from .conftest import USERPASS, IdentityHarness


def test_create_read_update_by_name_and_id(ident: IdentityHarness) -> None:
    api = ident.api
    created = api.write("entity", name="alice", policies=["p1"], metadata={"team": "payments"}).data
    assert created is not None and created["aliases"] is None and created["name"] == "alice"
    entity_id = created["id"]
    assert api.write("entity", name="alice", policies=["p2"]).is_empty()  # existing name: update, 204
    data = api.read(f"entity/id/{entity_id}").data
    assert data is not None
    assert data["policies"] == ["p2"] and data["metadata"] == {"team": "payments"}  # metadata kept
    assert {"aliases", "creation_time", "direct_group_ids", "disabled", "group_ids", "inherited_group_ids",
            "last_update_time", "merged_entity_ids", "namespace_id"} <= set(data)
    assert api.read("entity/name/ALICE").data == data
    api.write(f"entity/id/{entity_id}", disabled=True, name="alicia")
    assert api.read("entity/name/alicia").data["disabled"] is True  # type: ignore[index]
    with pytest.raises(NotFound):
        api.read("entity/name/alice")
    with pytest.raises(NotFound):
        api.write("entity/id/nope", policies=["x"])


def test_write_by_name_creates_and_names_are_unique(ident: IdentityHarness) -> None:
    api = ident.api
    assert api.write("entity/name/bob", policies=["p"]).data["name"] == "bob"  # type: ignore[index]
    other = api.write("entity").data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="already in use"):
        api.write(f"entity/id/{other}", name="BOB")


@pytest.mark.parametrize("spelling", ["root", "ROOT", " root", "r\u043e\u043et", "ro\u200bot"])
def test_root_cannot_be_assigned(ident: IdentityHarness, spelling: str) -> None:
    with pytest.raises(InvalidRequest, match="root"):
        ident.api.write("entity", name="mallory", policies=["dev", spelling])
    assert ident.store.entity_by_name("mallory") is None
    entity_id = ident.api.write("entity", name="eve").data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest):
        ident.api.write(f"entity/id/{entity_id}", policies=spelling)
    assert ident.api.read(f"entity/id/{entity_id}").data["policies"] == []  # type: ignore[index]


def test_lists_and_batch_delete(ident: IdentityHarness) -> None:
    api = ident.api
    with pytest.raises(NotFound):
        api.list("entity/id/")
    a = api.write("entity", name="a").data["id"]  # type: ignore[index]
    b = api.write("entity", name="b").data["id"]  # type: ignore[index]
    api.write("entity-alias", name="al", canonical_id=a, mount_accessor=USERPASS)
    listed = api.list("entity/id/").data
    assert listed is not None and sorted(listed["keys"]) == sorted([a, b])
    alias_info = listed["key_info"][a]["aliases"][0]
    assert alias_info["mount_path"] == "auth/userpass/" and alias_info["mount_type"] == "userpass"
    assert set(alias_info) == {"id", "mount_accessor", "mount_path", "mount_type", "name"}
    assert api.list("entity/name/").data == {"keys": ["a", "b"]}
    api.write("entity/batch-delete", entity_ids=[a, b, "missing"])
    with pytest.raises(NotFound):
        api.list("entity/name/")
    assert ident.store.entity_by_alias(USERPASS, "al") is None


def test_delete_by_name(ident: IdentityHarness) -> None:
    ident.api.write("entity", name="gone")
    assert ident.api.delete("entity/name/gone").is_empty()
    assert ident.api.delete("entity/name/gone").is_empty()  # deleting again is fine
    assert ident.store.entity_by_name("gone") is None
