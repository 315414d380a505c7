from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound, UnsupportedPath
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.storage import list_recursive

PASSWORD = "s3cret-Canary-7731"


def test_create_answers_204_and_read_matches_vault(userpass: EngineHarness) -> None:
    created = userpass.write(
        "users/bob", password=PASSWORD, token_policies=["p1"], token_ttl="1h", token_max_ttl="4h",
        token_bound_cidrs=["127.0.0.1/32"],
    )
    assert created.is_empty()
    assert userpass.read("users/bob").data == {
        "token_bound_cidrs": ["127.0.0.1"], "token_explicit_max_ttl": 0, "token_max_ttl": 14400,
        "token_no_default_policy": False, "token_num_uses": 0, "token_period": 0, "token_policies": ["p1"],
        "token_strictly_bind_ip": False, "token_ttl": 3600, "token_type": "default",
    }


def test_password_is_stored_only_as_an_argon2id_hash(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD)
    stored = b"".join(userpass.storage.get(key) or b"" for key in list_recursive(userpass.storage))
    assert PASSWORD.encode() not in stored
    assert b"$argon2id$" in stored
    assert PASSWORD not in repr(userpass.read("users/bob").data)


def test_create_without_password_is_refused(userpass: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="missing password"):
        userpass.write("users/bob", token_policies=["p1"])
    with pytest.raises(NotFound):
        userpass.read("users/bob")


def test_explicit_empty_password_is_refused_on_update(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD)
    with pytest.raises(InvalidRequest, match="missing password"):
        userpass.write("users/bob", password="")


def test_usernames_are_case_insensitive(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD, token_policies=["old"])
    userpass.write("users/Bob", password=PASSWORD, token_policies=["new"])
    assert userpass.read("users/BOB").data["token_policies"] == ["new"]
    assert userpass.list("users").data == {"keys": ["bob"]}


def test_update_changes_only_the_fields_sent(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD, token_policies=["p1"], token_ttl=60)
    userpass.write("users/bob", token_num_uses=3)
    data = userpass.read("users/bob").data
    assert (data["token_policies"], data["token_ttl"], data["token_num_uses"]) == (["p1"], 60, 3)
    assert userpass.write("login/bob", password=PASSWORD).auth is not None


def test_list_and_delete(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD)
    userpass.write("users/alice", password=PASSWORD)
    assert userpass.list("users/").data == {"keys": ["alice", "bob"]}
    assert userpass.delete("users/bob").is_empty()
    assert userpass.delete("users/bob").is_empty()  # deleting twice is fine, as in Vault
    with pytest.raises(NotFound):
        userpass.read("users/bob")
    assert userpass.list("users").data == {"keys": ["alice"]}


def test_empty_list_is_404(userpass: EngineHarness) -> None:
    with pytest.raises(NotFound):
        userpass.list("users")


def test_legacy_fields_are_honoured_and_echoed(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=PASSWORD, policies="B, a,a", ttl="1m", bound_cidrs="10.0.0.0/8")
    data = userpass.read("users/bob").data
    assert data["policies"] == data["token_policies"] == ["a", "b"]
    assert data["ttl"] == data["token_ttl"] == 60
    assert data["bound_cidrs"] == data["token_bound_cidrs"] == ["10.0.0.0/8"]
    userpass.write("users/bob", token_policies=["c"])
    data = userpass.read("users/bob").data
    assert "policies" not in data
    assert data["token_policies"] == ["c"]


def test_token_field_values_are_validated(userpass: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="token_type"):
        userpass.write("users/bob", password=PASSWORD, token_type="gold")
    with pytest.raises(InvalidRequest, match="greater than"):
        userpass.write("users/bob", password=PASSWORD, token_ttl="2h", token_max_ttl="1h")
    with pytest.raises(InvalidRequest, match="token_bound_cidrs"):
        userpass.write("users/bob", password=PASSWORD, token_bound_cidrs=["10.0.0.0/33"])
    with pytest.raises(InvalidRequest, match="negative"):
        userpass.write("users/bob", password=PASSWORD, token_num_uses=-1)
    with pytest.raises(InvalidRequest, match="batch"):
        userpass.write("users/bob", password=PASSWORD, token_type="batch", token_period="1h")
    with pytest.raises(NotFound):
        userpass.read("users/bob")


def test_validation_errors_never_echo_the_password(userpass: EngineHarness) -> None:
    with pytest.raises(InvalidRequest) as raised:
        userpass.write("users/bob", password=PASSWORD, token_ttl="nonsense")
    assert PASSWORD not in str(raised.value)


def test_unknown_fields_produce_a_warning(userpass: EngineHarness) -> None:
    response = userpass.write("users/bob", password=PASSWORD, colour="blue")
    assert response.warnings == ["Endpoint ignored these unrecognized parameters: [colour]"]


def test_names_outside_vaults_pattern_are_not_routed(userpass: EngineHarness) -> None:
    with pytest.raises(UnsupportedPath):
        userpass.write("users/-bob", password=PASSWORD)
