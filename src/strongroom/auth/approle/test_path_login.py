from __future__ import annotations

import pytest

from strongroom.auth.approle.conftest import issue, make_role
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.response import AuthGrant

INVALID = "invalid role or secret ID"


def _login(approle: EngineHarness, role_id: str, secret_id: str = "") -> AuthGrant:
    auth = approle.write("login", role_id=role_id, secret_id=secret_id).auth
    assert auth is not None
    return auth


def _refused(approle: EngineHarness, role_id: str, secret_id: str, match: str = INVALID) -> str:
    with pytest.raises(InvalidRequest, match=match) as raised:
        approle.write("login", role_id=role_id, secret_id=secret_id)
    message = raised.value.message
    assert secret_id not in message or not secret_id
    assert role_id not in message or not role_id
    return message


def test_login_returns_a_grant_from_the_role(approle: EngineHarness) -> None:
    role_id = make_role(
        approle, token_policies=["p1"], token_ttl="20m", token_max_ttl="30m", token_bound_cidrs=["127.0.0.0/8"],
        token_num_uses=3,
    )
    secret = issue(approle, metadata='{"host":"web1"}')["secret_id"]
    assert _login(approle, role_id, secret) == AuthGrant(
        policies=("p1",), display_name="", metadata={"host": "web1", "role_name": "app"}, ttl=1200,
        max_ttl=1800, num_uses=3, renewable=True, token_type="service", alias_name=role_id,
        bound_cidrs=("127.0.0.0/8",), internal={"role_name": "app"},
    )


def test_login_path_needs_no_token(approle: EngineHarness) -> None:
    assert approle.backend.is_unauthenticated("login")
    assert not approle.backend.is_unauthenticated("role/app")


def test_wrong_role_id_and_wrong_secret_id_are_indistinguishable(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)["secret_id"]
    messages = {
        _refused(approle, "not-a-role-id", secret),
        _refused(approle, role_id, "not-a-secret-id"),
        _refused(approle, role_id, secret + "x"),
    }
    assert messages == {INVALID}
    make_role(approle, "other")
    other_secret = issue(approle, "other")["secret_id"]
    _refused(approle, role_id, other_secret)  # a secret ID of another role is no good


def test_missing_credentials(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    with pytest.raises(InvalidRequest, match="missing role_id"):
        approle.write("login", secret_id="x")
    with pytest.raises(InvalidRequest, match="missing secret_id"):
        approle.write("login", role_id=role_id)
    with pytest.raises(InvalidRequest, match="missing secret_id"):
        approle.write("login", role_id=role_id, secret_id=None)  # JSON null counts as absent
    with pytest.raises(InvalidRequest, match="missing role_id"):
        approle.write("login", role_id=None)


def test_secret_id_expires_with_the_clock(approle: EngineHarness) -> None:
    role_id = make_role(approle, secret_id_ttl="10m")
    secret = issue(approle)["secret_id"]
    approle.clock.advance(599)
    _login(approle, role_id, secret)
    approle.clock.advance(1)
    _refused(approle, role_id, secret)
    assert approle.storage.list("accessor/") == []  # the expired secret ID was removed on sight


def test_num_uses_are_consumed_and_the_last_use_removes_it(approle: EngineHarness) -> None:
    role_id = make_role(approle, secret_id_num_uses=2)
    issued = issue(approle)
    _login(approle, role_id, issued["secret_id"])
    looked_up = approle.write("role/app/secret-id/lookup", secret_id=issued["secret_id"]).data
    assert looked_up is not None and looked_up["secret_id_num_uses"] == 1
    _login(approle, role_id, issued["secret_id"])
    _refused(approle, role_id, issued["secret_id"])  # the third use of a 2-use secret ID fails
    assert approle.storage.list("accessor/") == []
    assert approle.storage.list("secret_id/app/") == []


def test_unlimited_secret_ids_stay(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)["secret_id"]
    for _ in range(3):
        _login(approle, role_id, secret)


def test_secret_id_cidr_mismatch_refuses_without_spending_a_use(approle: EngineHarness) -> None:
    role_id = make_role(approle, secret_id_num_uses=1)
    secret = issue(approle, cidr_list="10.0.0.0/8")["secret_id"]
    approle.remote_addr = "192.168.1.1"
    message = _refused(approle, role_id, secret, match="unauthorized")
    assert message == 'source address "192.168.1.1" unauthorized through CIDR restrictions on the secret ID'
    approle.remote_addr = ""
    _refused(approle, role_id, secret, match="unauthorized")
    approle.remote_addr = "10.9.8.7"
    _login(approle, role_id, secret)


def test_role_cidr_binding(approle: EngineHarness) -> None:
    role_id = make_role(approle, secret_id_bound_cidrs=["127.0.0.1/32"])
    secret = issue(approle)["secret_id"]
    approle.remote_addr = "127.0.0.2"
    _refused(approle, role_id, secret, match="unauthorized by CIDR restrictions on the role")
    _refused(approle, role_id, "wrong", match=INVALID)  # wrong credentials say nothing about the address
    approle.remote_addr = "127.0.0.1"
    _login(approle, role_id, secret)


def test_role_without_secret_id_logs_in_with_role_id_alone(approle: EngineHarness) -> None:
    role_id = make_role(approle, bind_secret_id=False, secret_id_bound_cidrs="10.0.0.0/8")
    approle.remote_addr = "10.0.0.5"
    auth = _login(approle, role_id)
    assert auth.metadata == {"role_name": "app"}
    approle.remote_addr = "11.0.0.5"
    _refused(approle, role_id, "", match="unauthorized")


def test_secret_id_token_cidrs_override_the_roles(approle: EngineHarness) -> None:
    role_id = make_role(approle, token_bound_cidrs="10.0.0.0/8")
    plain = issue(approle)["secret_id"]
    narrowed = issue(approle, token_bound_cidrs="10.1.0.0/16")["secret_id"]
    assert _login(approle, role_id, plain).bound_cidrs == ("10.0.0.0/8",)
    assert _login(approle, role_id, narrowed).bound_cidrs == ("10.1.0.0/16",)


def test_role_id_is_trimmed(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)["secret_id"]
    _login(approle, f" {role_id} ", f"{secret} ")
