from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest

from .conftest import GITHUB, USERPASS, IdentityHarness


def test_lookup_entity_by_each_criterion(ident: IdentityHarness) -> None:
    api = ident.api
    eid = api.write("entity", name="alice").data["id"]  # type: ignore[index]
    aid = api.write("entity-alias", name="al", canonical_id=eid, mount_accessor=USERPASS).data["id"]  # type: ignore[index]
    for criterion in ({"id": eid}, {"name": "ALICE"}, {"alias_id": aid},
                      {"alias_name": "al", "alias_mount_accessor": USERPASS}):
        found = api.write("lookup/entity", **criterion).data
        assert found is not None and found["id"] == eid, criterion
    assert api.write("lookup/entity", name="nobody").is_empty()
    with pytest.raises(InvalidRequest):
        api.write("lookup/entity", name="alice", id=eid)
    with pytest.raises(InvalidRequest):
        api.write("lookup/entity", alias_name="al")


def test_lookup_group(ident: IdentityHarness) -> None:
    api = ident.api
    gid = api.write("group", name="gh", type="external").data["id"]  # type: ignore[index]
    api.write("group-alias", name="team", mount_accessor=GITHUB, canonical_id=gid)
    assert api.write("lookup/group", name="gh").data["id"] == gid  # type: ignore[index]
    assert api.write("lookup/group", alias_name="team", alias_mount_accessor=GITHUB).data["id"] == gid  # type: ignore[index]
    assert api.write("lookup/group", id="nope").is_empty()
