from __future__ import annotations

import pytest

from strongroom.core.identity.model import Entity, EntityAlias, Group, GroupAlias, check_policies
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize("spelling", [
    "root", "ROOT", "Root", " root", "root ", "r\u043e\u043et", "ro\u200bot", "\u200broot", "root\ufeff",
    "\uff52\uff4f\uff4f\uff54", "r\u03bfot", "\u0280oot", "ro\u00adot",
])
def test_root_is_refused_in_any_spelling(spelling: str) -> None:
    with pytest.raises(InvalidRequest, match="root"):
        check_policies(["dev", spelling])


@pytest.mark.parametrize("name", ["rooted", "roots", "r00t", "groot", "root-admin"])
def test_names_that_merely_resemble_root_are_allowed(name: str) -> None:
    assert check_policies([name]) == (name,)


def test_policies_are_normalised_and_deduplicated_in_order() -> None:
    assert check_policies(["Dev", " dev ", "ops", "", "OPS", "\uff44\uff45\uff56"]) == ("dev", "ops")


def test_entity_round_trips_through_storage_form() -> None:
    alias = EntityAlias(id="a1", canonical_id="e1", mount_accessor="m", name="bob", creation_time=1.0,
                        last_update_time=2.0, metadata={"k": "v"}, custom_metadata={"c": "d"},
                        merged_from_canonical_ids=("e0",))
    entity = Entity(id="e1", name="bob", creation_time=1.0, last_update_time=2.0, policies=("p",),
                    metadata={"team": "x"}, disabled=True, aliases=(alias,), merged_entity_ids=("e0",))
    assert Entity.deserialize(entity.serialize()) == entity
    assert entity.alias_on("m") == alias and entity.alias_on("other") is None


def test_group_round_trips_and_each_change_bumps_modify_index() -> None:
    group = Group(id="g1", name="eng", type="external", creation_time=1.0, last_update_time=1.0,
                  policies=("p",), member_entity_ids=("e1",), member_group_ids=("g2",), metadata={"x": "y"},
                  alias=GroupAlias(id="ga", canonical_id="g1", mount_accessor="m", name="team", creation_time=1.0,
                                   last_update_time=1.0))
    assert Group.deserialize(group.serialize()) == group
    assert group.with_(policies=()).modify_index == 2
