from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest

from .conftest import APPROLE, USERPASS, IdentityHarness


def _entity(ident: IdentityHarness, name: str, *aliases: tuple[str, str]) -> str:
    entity_id: str = ident.api.write("entity", name=name).data["id"]  # type: ignore[index]
    for accessor, alias in aliases:
        ident.api.write("entity-alias", name=alias, canonical_id=entity_id, mount_accessor=accessor)
    return entity_id


def test_merge_moves_aliases_and_groups(ident: IdentityHarness) -> None:
    to = _entity(ident, "to", (USERPASS, "alice"))
    src = _entity(ident, "from", (APPROLE, "robot"))
    gid = ident.api.write("group", name="eng", member_entity_ids=[src]).data["id"]  # type: ignore[index]
    ident.api.write("entity/merge", from_entity_ids=[src], to_entity_id=to)
    assert ident.store.entity(src) is None
    merged = ident.api.read(f"entity/id/{to}").data
    assert merged is not None and merged["merged_entity_ids"] == [src]
    assert sorted(a["name"] for a in merged["aliases"]) == ["alice", "robot"]
    robot = next(a for a in merged["aliases"] if a["name"] == "robot")
    assert robot["canonical_id"] == to and robot["merged_from_canonical_ids"] == [src]
    assert ident.store.entity_by_alias(APPROLE, "robot").id == to  # type: ignore[union-attr]
    assert ident.store.group(gid).member_entity_ids == (to,)  # type: ignore[union-attr]
    assert ident.store.entity_or_merged(src).id == to  # type: ignore[union-attr]


def test_conflicting_aliases_are_refused_unless_one_is_kept(ident: IdentityHarness) -> None:
    to = _entity(ident, "to", (USERPASS, "alice"))
    src = _entity(ident, "from", (USERPASS, "alice2"))
    with pytest.raises(InvalidRequest, match="conflicting_alias_ids_to_keep"):
        ident.api.write("entity/merge", from_entity_ids=[src], to_entity_id=to, force=True)
    assert ident.store.entity(src) is not None  # nothing changed
    keep = ident.store.entity(src).aliases[0].id  # type: ignore[union-attr]
    ident.api.write("entity/merge", from_entity_ids=[src], to_entity_id=to, conflicting_alias_ids_to_keep=[keep])
    assert [a.name for a in ident.store.entity(to).aliases] == ["alice2"]  # type: ignore[union-attr]
    assert ident.store.entity_by_alias(USERPASS, "alice") is None


def test_keeping_aliases_allows_a_single_source(ident: IdentityHarness) -> None:
    to = _entity(ident, "to", (USERPASS, "a"))
    one = _entity(ident, "one", (USERPASS, "b"))
    two = _entity(ident, "two", (APPROLE, "c"))
    keep = ident.store.entity(one).aliases[0].id  # type: ignore[union-attr]
    with pytest.raises(InvalidRequest, match="only one"):
        ident.api.write("entity/merge", from_entity_ids=[one, two], to_entity_id=to,
                        conflicting_alias_ids_to_keep=[keep])


def test_merge_argument_errors(ident: IdentityHarness) -> None:
    to = _entity(ident, "to")
    with pytest.raises(InvalidRequest, match="merge to"):
        ident.api.write("entity/merge", from_entity_ids=[to], to_entity_id="nope")
    with pytest.raises(InvalidRequest, match="into itself"):
        ident.api.write("entity/merge", from_entity_ids=[to], to_entity_id=to)
    with pytest.raises(InvalidRequest, match="merge from"):
        ident.api.write("entity/merge", from_entity_ids=["nope"], to_entity_id=to)
