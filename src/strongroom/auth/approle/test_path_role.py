from __future__ import annotations

import pytest

from strongroom.auth.approle.conftest import issue, make_role
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness


def test_create_answers_204_and_read_matches_vault(approle: EngineHarness) -> None:
    created = approle.write(
        "role/app", token_policies=["p1"], token_ttl="20m", token_max_ttl="30m", secret_id_ttl="10m",
        secret_id_num_uses=2, secret_id_bound_cidrs=["127.0.0.1/32"], token_bound_cidrs=["127.0.0.0/8"],
        bind_secret_id=True,
    )
    assert created.is_empty()
    assert approle.read("role/app").data == {
        "bind_secret_id": True, "local_secret_ids": False, "secret_id_bound_cidrs": ["127.0.0.1/32"],
        "secret_id_num_uses": 2, "secret_id_ttl": 600, "token_bound_cidrs": ["127.0.0.0/8"],
        "token_explicit_max_ttl": 0, "token_max_ttl": 1800, "token_no_default_policy": False,
        "token_num_uses": 0, "token_period": 0, "token_policies": ["p1"], "token_strictly_bind_ip": False,
        "token_ttl": 1200, "token_type": "default",
    }


def test_defaults_bind_a_secret_id(approle: EngineHarness) -> None:
    approle.write("role/app")
    data = approle.read("role/app").data
    assert data is not None
    assert (data["bind_secret_id"], data["secret_id_ttl"], data["token_policies"]) == (True, 0, [])


def test_role_names_are_case_insensitive(approle: EngineHarness) -> None:
    approle.write("role/App", token_policies=["a"])
    approle.write("role/APP", token_num_uses=4)
    data = approle.read("role/app").data
    assert data is not None
    assert (data["token_policies"], data["token_num_uses"]) == (["a"], 4)
    assert approle.list("role").data == {"keys": ["app"]}


def test_update_changes_only_the_fields_sent(approle: EngineHarness) -> None:
    role_id = make_role(approle, secret_id_num_uses=3, token_ttl=60)
    approle.write("role/app", token_policies="x,y")
    data = approle.read("role/app").data
    assert data is not None
    assert (data["secret_id_num_uses"], data["token_ttl"], data["token_policies"]) == (3, 60, ["x", "y"])
    assert approle.read("role/app/role-id").data == {"role_id": role_id}


def test_a_role_needs_a_constraint(approle: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="at least one constraint"):
        approle.write("role/app", bind_secret_id=False)
    approle.write("role/app", bind_secret_id=False, secret_id_bound_cidrs="10.0.0.0/8")
    with pytest.raises(InvalidRequest, match="at least one constraint"):
        approle.write("role/app", secret_id_bound_cidrs=[])


def test_invalid_values_are_refused(approle: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="secret_id_bound_cidrs"):
        approle.write("role/app", secret_id_bound_cidrs=["300.0.0.0/8"])
    with pytest.raises(InvalidRequest, match="negative"):
        approle.write("role/app", secret_id_num_uses=-1)
    with pytest.raises(InvalidRequest, match="token_period"):
        approle.write("role/app", token_period=10**9)
    with pytest.raises(InvalidRequest, match="role_id"):
        approle.write("role/app", role_id="  ")
    with pytest.raises(InvalidRequest, match="longer than"):
        approle.write("role/" + "a" * 4097)
    with pytest.raises(NotFound):
        approle.read("role/app")


def test_local_secret_ids_only_at_creation(approle: EngineHarness) -> None:
    approle.write("role/app", local_secret_ids=True)
    assert approle.read("role/app").data["local_secret_ids"] is True  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="local_secret_ids"):
        approle.write("role/app", local_secret_ids=False)


def test_token_max_ttl_above_the_mount_maximum_warns(approle: EngineHarness) -> None:
    response = approle.write("role/app", token_max_ttl=10**9)
    assert response.warnings and "truncated" in response.warnings[0]


def test_legacy_policies_and_period(approle: EngineHarness) -> None:
    approle.write("role/app", policies="B,a", period="1h")
    data = approle.read("role/app").data
    assert data is not None
    assert data["policies"] == data["token_policies"] == ["a", "b"]
    assert data["period"] == data["token_period"] == 3600


def test_legacy_token_type_is_adjusted_with_a_warning(approle: EngineHarness) -> None:
    response = approle.write("role/app", token_type="default-batch")
    assert response.warnings == ["default-batch has no useful meaning; adjusting to batch"]
    assert approle.read("role/app").data["token_type"] == "batch"  # type: ignore[index]


def test_custom_role_id_at_creation_and_conflicts(approle: EngineHarness) -> None:
    approle.write("role/app", role_id="my-custom-role-id")
    assert approle.read("role/app/role-id").data == {"role_id": "my-custom-role-id"}
    with pytest.raises(InvalidRequest, match="role_id already in use"):
        approle.write("role/other", role_id="my-custom-role-id")


def test_delete_removes_the_role_and_its_secret_ids(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)
    assert approle.delete("role/app").is_empty()
    assert approle.delete("role/app").is_empty()
    with pytest.raises(NotFound):
        approle.read("role/app")
    make_role(approle, role_id=role_id)  # recreated with the same name and role_id
    with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
        approle.write("login", role_id=role_id, secret_id=secret["secret_id"])
    assert approle.storage.list("accessor/") == []


def test_list_roles(approle: EngineHarness) -> None:
    with pytest.raises(NotFound):
        approle.list("role")
    approle.write("role/b")
    approle.write("role/a")
    assert approle.list("role/").data == {"keys": ["a", "b"]}
