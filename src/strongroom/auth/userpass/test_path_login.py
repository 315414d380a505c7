from __future__ import annotations

import pytest

import strongroom.crypto.passwords as passwords
from strongroom.sdk.errors import InvalidRequest, PermissionDenied
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.response import AuthGrant

PASSWORD = "s3cret-Canary-7731"


def _login(userpass: EngineHarness, name: str, password: str) -> AuthGrant:
    auth = userpass.write(f"login/{name}", password=password).auth
    assert auth is not None
    return auth


def test_login_returns_a_grant_from_the_users_settings(userpass: EngineHarness) -> None:
    userpass.write(
        "users/bob", password=PASSWORD, token_policies=["p1"], token_ttl="1h", token_max_ttl="4h",
        token_num_uses=5, token_no_default_policy=True, token_explicit_max_ttl="8h",
    )
    auth = _login(userpass, "bob", PASSWORD)
    assert auth == AuthGrant(
        policies=("p1",), display_name="bob", metadata={"username": "bob"}, ttl=3600, max_ttl=14400,
        explicit_max_ttl=28800, num_uses=5, renewable=True, no_default_policy=True, token_type="service",
        alias_name="bob",
    )


def test_login_paths_need_no_token(userpass: EngineHarness) -> None:
    assert userpass.backend.is_unauthenticated("login/bob")
    assert not userpass.backend.is_unauthenticated("users/bob")


@pytest.mark.parametrize("name", ["BOB", "Bob", "bOb"])
def test_case_variants_reach_the_same_user(userpass: EngineHarness, name: str) -> None:
    userpass.write("users/bob", password=PASSWORD)
    auth = _login(userpass, name, PASSWORD)
    assert (auth.alias_name, auth.metadata) == ("bob", {"username": "bob"})


def test_unknown_user_and_wrong_password_are_indistinguishable(
    userpass: EngineHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    userpass.write("users/bob", password=PASSWORD)
    verified: list[str] = []
    real_verify = passwords.verify_password

    def counting_verify(password: str, encoded: str) -> bool:
        verified.append(encoded)
        return real_verify(password, encoded)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    errors = []
    for name, password in (("bob", "wrong-Canary-1"), ("nobody", "wrong-Canary-1")):
        with pytest.raises(InvalidRequest) as raised:
            userpass.write(f"login/{name}", password=password)
        errors.append((type(raised.value), raised.value.message))
        assert password not in raised.value.message
    assert errors[0] == errors[1] == (InvalidRequest, "invalid username or password")
    # Both paths ran one Argon2id verification of the same cost (no timing oracle for enumeration).
    assert len(verified) == 2
    assert verified[0].split("$")[3] == verified[1].split("$")[3]


def test_missing_password_is_refused(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD)
    with pytest.raises(InvalidRequest, match="missing password"):
        userpass.write("login/bob")
    with pytest.raises(InvalidRequest, match="missing password"):
        userpass.write("login/bob", password=None)


def test_deleted_user_cannot_log_in(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD)
    userpass.delete("users/bob")
    with pytest.raises(InvalidRequest, match="invalid username or password"):
        userpass.write("login/bob", password=PASSWORD)


def test_bound_cidrs_are_checked_at_login(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD, token_bound_cidrs=["10.0.0.0/8", "127.0.0.1"])
    userpass.remote_addr = "10.1.2.3"
    assert _login(userpass, "bob", PASSWORD).bound_cidrs == ("10.0.0.0/8", "127.0.0.1")
    userpass.remote_addr = "127.0.0.1"
    _login(userpass, "bob", PASSWORD)
    for outside in ("192.168.0.1", "", "not-an-address"):
        userpass.remote_addr = outside
        with pytest.raises(PermissionDenied):
            userpass.write("login/bob", password=PASSWORD)


def test_batch_token_type_is_passed_through(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD, token_type="batch")
    assert _login(userpass, "bob", PASSWORD).token_type == "batch"


def test_default_cost_mount_uses_the_shared_dummy_hash() -> None:
    from strongroom.auth.userpass.passwords import Hasher

    assert Hasher()._dummy == passwords.DUMMY_HASH
    assert not Hasher().verify("anything", None)
