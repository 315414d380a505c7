from __future__ import annotations

import pytest

from strongroom.engines.cubbyhole import factory
from strongroom.sdk.errors import InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.request import Caller, Operation, Request
from strongroom.sdk.storage import list_recursive


def caller(token_id: str, token_type: str = "service") -> Caller:  # noqa: S107
    return Caller(token_id=token_id, accessor=f"acc-{token_id}", policies=("default",), display_name="t",
                  token_type=token_type)


@pytest.fixture
def alice() -> EngineHarness:
    return EngineHarness(factory, mount_path="cubbyhole/", caller=caller("alice"))


def as_(harness: EngineHarness, who: Caller) -> EngineHarness:
    """A second harness on the same mount (same backend and storage), acting for another token."""
    other = object.__new__(EngineHarness)
    other.__dict__.update(harness.__dict__)
    other.caller = who
    return other


def test_write_read_list_delete(alice: EngineHarness) -> None:
    assert alice.write("mine", k="v").is_empty()
    assert alice.write("dir/a", k="1").is_empty()
    response = alice.read("mine")
    assert response.data == {"k": "v"}
    assert response.lease_duration == 0
    assert alice.list("").data == {"keys": ["dir/", "mine"]}
    assert alice.list("dir").data == {"keys": ["a"]}
    assert alice.delete("mine").is_empty()
    with pytest.raises(NotFound):
        alice.read("mine")


def test_another_token_sees_nothing(alice: EngineHarness) -> None:
    bob = as_(alice, caller("bob"))
    alice.write("shared-name", owner="alice")
    with pytest.raises(NotFound):
        bob.read("shared-name")
    with pytest.raises(NotFound):
        bob.list("")
    bob.write("shared-name", owner="bob")
    assert alice.read("shared-name").data == {"owner": "alice"}
    assert bob.read("shared-name").data == {"owner": "bob"}
    bob.delete("shared-name")
    assert alice.read("shared-name").data == {"owner": "alice"}


def test_root_has_no_view_into_other_cubbyholes(alice: EngineHarness) -> None:
    root = as_(alice, Caller(token_id="root", accessor="r", policies=("root",), display_name="root", is_root=True))
    alice.write("mine", k="v")
    with pytest.raises(NotFound):
        root.read("mine")


def test_token_revoked_removes_only_that_tokens_entries(alice: EngineHarness) -> None:
    bob = as_(alice, caller("bob"))
    alice.write("a", k="1")
    alice.write("deep/b/c", k="2")
    bob.write("a", k="3")
    alice.backend.token_revoked("alice")
    with pytest.raises(NotFound):
        alice.read("a")
    with pytest.raises(NotFound):
        alice.list("")
    assert bob.read("a").data == {"k": "3"}
    assert list_recursive(alice.storage) == ["bob/a"]
    alice.backend.token_revoked("alice")  # idempotent
    alice.backend.token_revoked("")


def test_existence_check_is_per_token(alice: EngineHarness) -> None:
    alice.write("x", k="1")
    mine = Request(operation=Operation.UPDATE, path="x", data={"k": "2"}, caller=caller("alice"))
    theirs = Request(operation=Operation.UPDATE, path="x", data={"k": "2"}, caller=caller("bob"))
    assert alice.backend.exists(mine) is True
    assert alice.backend.exists(theirs) is False


def test_bad_input(alice: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="missing data fields"):
        alice.write("x")
    with pytest.raises(InvalidRequest, match="missing path"):
        alice.write("", k="v")
    with pytest.raises(InvalidRequest, match="missing path"):
        alice.read("")
    with pytest.raises(InvalidRequest, match="invalid path"):
        alice.write("../bob/a", k="v")


def test_requests_without_a_usable_token_are_refused(alice: EngineHarness) -> None:
    with pytest.raises(PermissionDenied):
        alice.backend.handle(Request(operation=Operation.READ, path="x"))
    with pytest.raises(PermissionDenied):
        as_(alice, caller("a/b")).read("x")
    with pytest.raises(InvalidRequest, match="service tokens"):
        as_(alice, caller("batchy", token_type="batch")).write("x", k="v")
