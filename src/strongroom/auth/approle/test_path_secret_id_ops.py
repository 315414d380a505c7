from __future__ import annotations

import pytest

from strongroom.auth.approle.conftest import issue, make_role
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness


def test_lookup_by_secret_id_and_by_accessor_agree(approle: EngineHarness) -> None:
    make_role(approle, secret_id_ttl="10m", secret_id_num_uses=2)
    issued = issue(approle, metadata='{"host":"web1"}')
    by_secret = approle.write("role/app/secret-id/lookup", secret_id=issued["secret_id"]).data
    by_accessor = approle.write(
        "role/app/secret-id-accessor/lookup", secret_id_accessor=issued["secret_id_accessor"]
    ).data
    assert by_secret == by_accessor == {
        "cidr_list": [], "creation_time": "2027-01-15T08:00:00.000000Z",
        "expiration_time": "2027-01-15T08:10:00.000000Z", "last_updated_time": "2027-01-15T08:00:00.000000Z",
        "metadata": {"host": "web1"}, "secret_id_accessor": issued["secret_id_accessor"],
        "secret_id_num_uses": 2, "secret_id_ttl": 600, "token_bound_cidrs": [],
    }
    assert issued["secret_id"] not in repr(by_secret)


def test_a_secret_id_without_ttl_shows_go_zero_time(approle: EngineHarness) -> None:
    make_role(approle)
    secret = issue(approle)["secret_id"]
    data = approle.write("role/app/secret-id/lookup", secret_id=secret).data
    assert data is not None and data["expiration_time"] == "0001-01-01T00:00:00Z"


def test_lookup_of_an_unknown_secret_id_is_empty(approle: EngineHarness) -> None:
    make_role(approle)
    assert approle.write("role/app/secret-id/lookup", secret_id="nope").is_empty()
    with pytest.raises(NotFound):
        approle.write("role/app/secret-id-accessor/lookup", secret_id_accessor="nope")


def test_destroy_by_secret_id(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)["secret_id"]
    assert approle.write("role/app/secret-id/destroy", secret_id=secret).is_empty()
    assert approle.delete("role/app/secret-id/destroy", secret_id=secret).is_empty()  # idempotent
    assert approle.write("role/app/secret-id/lookup", secret_id=secret).is_empty()
    with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
        approle.write("login", role_id=role_id, secret_id=secret)
    assert approle.storage.list("accessor/") == []


def test_destroy_by_accessor(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    issued = issue(approle)
    approle.delete("role/app/secret-id-accessor/destroy", secret_id_accessor=issued["secret_id_accessor"])
    with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
        approle.write("login", role_id=role_id, secret_id=issued["secret_id"])
    with pytest.raises(InvalidRequest, match="failed to find accessor"):
        approle.write("role/app/secret-id-accessor/destroy", secret_id_accessor=issued["secret_id_accessor"])


def test_an_accessor_works_only_under_its_own_role(approle: EngineHarness) -> None:
    """CVE-2023-24999: destroying by accessor must check that the secret ID belongs to the role."""
    role_id = make_role(approle, "victim")
    make_role(approle, "attacker")
    issued = issue(approle, "victim")
    accessor = issued["secret_id_accessor"]
    with pytest.raises(InvalidRequest):
        approle.write("role/attacker/secret-id-accessor/destroy", secret_id_accessor=accessor)
    with pytest.raises(NotFound):
        approle.write("role/attacker/secret-id-accessor/lookup", secret_id_accessor=accessor)
    assert approle.write("role/attacker/secret-id/lookup", secret_id=issued["secret_id"]).is_empty()
    approle.write("role/attacker/secret-id/destroy", secret_id=issued["secret_id"])
    assert approle.write("login", role_id=role_id, secret_id=issued["secret_id"]).auth is not None


def test_missing_arguments_and_unknown_roles(approle: EngineHarness) -> None:
    make_role(approle)
    with pytest.raises(InvalidRequest, match="missing secret_id"):
        approle.write("role/app/secret-id/lookup")
    with pytest.raises(InvalidRequest, match="missing secret_id_accessor"):
        approle.write("role/app/secret-id-accessor/lookup")
    with pytest.raises(InvalidRequest, match="does not exist"):
        approle.write("role/nope/secret-id/destroy", secret_id="x")
    with pytest.raises(InvalidRequest, match="does not exist"):
        approle.write("role/nope/secret-id-accessor/lookup", secret_id_accessor="x")
