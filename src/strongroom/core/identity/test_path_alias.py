from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound

from .conftest import APPROLE, GITHUB, USERPASS, IdentityHarness


def test_entity_alias_create_read_update_delete(ident: IdentityHarness) -> None:
    api = ident.api
    eid = api.write("entity", name="alice").data["id"]  # type: ignore[index]
    written = api.write("entity-alias", name="alice", canonical_id=eid, mount_accessor=USERPASS,
                        custom_metadata={"k": "v"}).data
    assert written is not None and written["canonical_id"] == eid
    aid = written["id"]
    data = api.read(f"entity-alias/id/{aid}").data
    assert data is not None
    assert data["mount_path"] == "auth/userpass/" and data["mount_type"] == "userpass"
    assert data["custom_metadata"] == {"k": "v"} and data["local"] is False and data["metadata"] is None
    api.write(f"entity-alias/id/{aid}", name="alice2")
    assert ident.store.entity_by_alias(USERPASS, "alice2") is not None
    assert ident.store.entity_by_alias(USERPASS, "alice") is None
    listed = api.list("entity-alias/id/").data
    assert listed is not None and listed["keys"] == [aid] and listed["key_info"][aid]["name"] == "alice2"
    api.delete(f"entity-alias/id/{aid}")
    with pytest.raises(NotFound):
        api.read(f"entity-alias/id/{aid}")
    assert api.read(f"entity/id/{eid}").data["aliases"] == []  # type: ignore[index]


def test_entity_alias_rules(ident: IdentityHarness) -> None:
    api = ident.api
    eid = api.write("entity", name="alice").data["id"]  # type: ignore[index]
    api.write("entity-alias", name="alice", canonical_id=eid, mount_accessor=USERPASS)
    with pytest.raises(InvalidRequest, match="already in use"):
        api.write("entity-alias", name="alice", mount_accessor=USERPASS)
    with pytest.raises(InvalidRequest, match="entity and mount accessor"):
        api.write("entity-alias", name="other", canonical_id=eid, mount_accessor=USERPASS)
    with pytest.raises(InvalidRequest, match="invalid mount accessor"):
        api.write("entity-alias", name="x", canonical_id=eid, mount_accessor="kv_0a1b2c3d")
    with pytest.raises(InvalidRequest, match="canonical"):
        api.write("entity-alias", name="x", canonical_id="nope", mount_accessor=APPROLE)
    # Without canonical_id, the alias gets an entity of its own.
    own = api.write("entity-alias", name="robot", mount_accessor=APPROLE).data
    assert own is not None and own["canonical_id"] != eid
    assert ident.store.entity(own["canonical_id"]) is not None


def test_moving_an_alias_to_another_entity(ident: IdentityHarness) -> None:
    api = ident.api
    a = api.write("entity", name="a").data["id"]  # type: ignore[index]
    b = api.write("entity", name="b").data["id"]  # type: ignore[index]
    aid = api.write("entity-alias", name="x", canonical_id=a, mount_accessor=USERPASS).data["id"]  # type: ignore[index]
    api.write(f"entity-alias/id/{aid}", canonical_id=b)
    assert ident.store.entity_by_alias(USERPASS, "x").id == b  # type: ignore[union-attr]
    assert ident.store.entity(a).aliases == ()  # type: ignore[union-attr]


def test_group_alias_rules(ident: IdentityHarness) -> None:
    api = ident.api
    internal = api.write("group", name="eng").data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="internal group"):
        api.write("group-alias", name="t", mount_accessor=GITHUB, canonical_id=internal)
    ext = api.write("group", name="gh", type="external").data["id"]  # type: ignore[index]
    gaid = api.write("group-alias", name="t", mount_accessor=GITHUB, canonical_id=ext).data["id"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="already in use"):
        api.write("group-alias", name="t", mount_accessor=GITHUB)
    with pytest.raises(InvalidRequest, match="already has an alias"):
        api.write("group-alias", name="t2", mount_accessor=GITHUB, canonical_id=ext)
    api.write(f"group-alias/id/{gaid}", name="t3")
    assert api.read(f"group-alias/id/{gaid}").data["name"] == "t3"  # type: ignore[index]
    assert api.list("group-alias/id/").data["keys"] == [gaid]  # type: ignore[index]
    # Without canonical_id a new external group is made for the alias.
    fresh = api.write("group-alias", name="new-team", mount_accessor=GITHUB).data
    assert fresh is not None and ident.store.group(fresh["canonical_id"]).type == "external"  # type: ignore[union-attr]
    api.delete(f"group-alias/id/{gaid}")
    assert ident.store.group(ext).alias is None  # type: ignore[union-attr]
    assert ident.store.group_by_alias(GITHUB, "t3") is None


def test_alias_updates_refused(ident: IdentityHarness) -> None:
    api = ident.api
    a = api.write("entity", name="a").data["id"]  # type: ignore[index]
    b = api.write("entity", name="b").data["id"]  # type: ignore[index]
    aid = api.write("entity-alias", name="x", canonical_id=a, mount_accessor=USERPASS).data["id"]  # type: ignore[index]
    api.write("entity-alias", name="y", canonical_id=b, mount_accessor=USERPASS)
    with pytest.raises(NotFound):
        api.write("entity-alias/id/nope", name="z")
    with pytest.raises(InvalidRequest, match="invalid alias id"):
        api.write("entity-alias", id="nope", name="z")
    with pytest.raises(InvalidRequest, match="already in use"):
        api.write(f"entity-alias/id/{aid}", name="y")
    with pytest.raises(InvalidRequest, match="entity and mount accessor"):
        api.write(f"entity-alias/id/{aid}", canonical_id=b)
    with pytest.raises(InvalidRequest, match="invalid mount accessor"):
        api.write(f"entity-alias/id/{aid}", mount_accessor="kv_0a1b2c3d")
    with pytest.raises(InvalidRequest, match="missing"):
        api.write("entity-alias", name="only-name")
    with pytest.raises(NotFound):
        api.write("group-alias/id/nope", name="z")
    with pytest.raises(NotFound):
        api.read("group-alias/id/nope")
    assert ident.store.entity_by_alias(USERPASS, "x").id == a  # type: ignore[union-attr]
