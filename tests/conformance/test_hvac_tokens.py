"""hvac against auth/token/: create (policies, ttl, num_uses, meta, orphan, period, role), lookup, renew, revoke."""

from __future__ import annotations

import re
from collections.abc import Callable

import hvac
import pytest
from conformance_support import hvac_client
from hvac import exceptions

from serverproc import ServerProcess

AUTH_KEYS = {"client_token", "accessor", "policies", "token_policies", "metadata", "lease_duration", "renewable",
             "entity_id", "token_type", "orphan", "num_uses"}
LOOKUP_KEYS = {"accessor", "creation_time", "creation_ttl", "display_name", "entity_id", "expire_time",
               "explicit_max_ttl", "id", "issue_time", "meta", "num_uses", "orphan", "path", "policies", "renewable",
               "ttl", "type"}


@pytest.fixture
def policy(hv: hvac.Client, unique: Callable[[str], str]) -> str:
    name = unique("p")
    hv.sys.create_or_update_acl_policy(name, 'path "secret/data/tok/*" { capabilities = ["read"] }\n'
                                       'path "auth/token/create" { capabilities = ["update"] }')
    return name


def test_create_with_policies_ttl_meta(hv: hvac.Client, policy: str) -> None:
    response = hv.auth.token.create(policies=[policy], ttl="1h", meta={"team": "a"}, num_uses=5)
    assert response["data"] is None
    auth = response["auth"]
    assert set(auth) >= AUTH_KEYS
    assert auth["policies"] == sorted(["default", policy])
    assert auth["token_policies"] == sorted(["default", policy])
    assert auth["metadata"] == {"team": "a"}
    assert (auth["lease_duration"], auth["renewable"], auth["num_uses"]) == (3600, True, 5)
    assert (auth["token_type"], auth["orphan"], auth["entity_id"]) == ("service", False, "")
    assert auth["client_token"] != auth["accessor"]
    assert re.fullmatch(r"[A-Za-z0-9]{24}", auth["accessor"])


def test_no_default_policy_and_default_ttl(hv: hvac.Client, policy: str) -> None:
    auth = hv.auth.token.create(policies=[policy], no_default_policy=True)["auth"]
    assert auth["policies"] == [policy]
    assert auth["lease_duration"] == 2764800, "root-created tokens without ttl get the mount default (768h)"


def test_lookup_lookup_self_lookup_accessor(server: ServerProcess, hv: hvac.Client, policy: str) -> None:
    auth = hv.auth.token.create(policies=[policy], ttl="1h", meta={"a": "b"}, num_uses=3)["auth"]
    looked = hv.auth.token.lookup(auth["client_token"])["data"]
    assert set(looked) >= LOOKUP_KEYS
    assert looked["id"] == auth["client_token"]
    assert looked["accessor"] == auth["accessor"]
    assert looked["ttl"] in (3599, 3600)
    assert (looked["creation_ttl"], looked["explicit_max_ttl"]) == (3600, 0)
    assert (looked["num_uses"], looked["meta"], looked["orphan"]) == (3, {"a": "b"}, False)
    assert (looked["path"], looked["type"]) == ("auth/token/create", "service")
    assert looked["display_name"] == "token-token", "hvac sends display_name=token; Vault prefixes it with token-"
    assert looked["policies"] == sorted(["default", policy])
    assert isinstance(looked["creation_time"], int)
    assert isinstance(looked["expire_time"], str)

    by_accessor = hv.auth.token.lookup_accessor(auth["accessor"])["data"]
    assert by_accessor["id"] == ""
    assert by_accessor["accessor"] == auth["accessor"]

    own = hvac_client(server, auth["client_token"]).auth.token.lookup_self()["data"]
    assert own["id"] == auth["client_token"]
    assert own["num_uses"] == 2, "lookup-self consumed one use"


def test_display_name_is_sanitised(hv: hvac.Client) -> None:
    token = hv.auth.token.create(display_name="My App!", ttl="1h")["auth"]["client_token"]
    assert hv.auth.token.lookup(token)["data"]["display_name"] == "token-My-App"
    untitled = hv.adapter.post("/v1/auth/token/create", json={"ttl": "1h"})["auth"]["client_token"]
    assert hv.auth.token.lookup(untitled)["data"]["display_name"] == "token"


def test_root_token_lookup_self(hv: hvac.Client) -> None:
    own = hv.auth.token.lookup_self()["data"]
    assert own["policies"] == ["root"]
    assert (own["expire_time"], own["ttl"], own["orphan"]) == (None, 0, True)
    assert own["path"] == "auth/token/root"


def test_lookup_unknown_token_is_bad_token(hv: hvac.Client) -> None:
    with pytest.raises(exceptions.Forbidden) as err:
        hv.auth.token.lookup("s.doesnotexistdoesnotexist")
    assert err.value.errors == ["bad token"]


def test_num_uses_exhausts(server: ServerProcess, hv: hvac.Client) -> None:
    token = hv.auth.token.create(num_uses=2, ttl="1h")["auth"]["client_token"]
    client = hvac_client(server, token)
    assert client.auth.token.lookup_self()["data"]["num_uses"] == 1
    assert client.auth.token.lookup_self()["data"]["num_uses"] == -1, "the last use shows -1"
    with pytest.raises(exceptions.Forbidden) as err:
        client.auth.token.lookup_self()
    assert err.value.errors == ["permission denied"]


def test_renew_and_renew_self(server: ServerProcess, hv: hvac.Client) -> None:
    token = hv.auth.token.create(ttl="10m", explicit_max_ttl="2h")["auth"]["client_token"]
    renewed = hv.auth.token.renew(token, increment="20m")
    assert renewed["auth"]["client_token"] == token
    assert renewed["auth"]["lease_duration"] == 1200
    assert renewed["auth"]["renewable"] is True
    own = hvac_client(server, token).auth.token.renew_self(increment="1h")
    assert own["auth"]["lease_duration"] == 3600
    assert hv.auth.token.lookup(token)["data"]["ttl"] in (3599, 3600)


def test_renew_non_renewable_fails(hv: hvac.Client) -> None:
    token = hv.auth.token.create(ttl="10m", renewable=False)["auth"]["client_token"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.auth.token.renew(token)
    assert err.value.errors == ["lease is not renewable"]


@pytest.mark.parametrize("field", ["ttl", "explicit_max_ttl", "period"])
def test_negative_durations_are_refused(hv: hvac.Client, field: str) -> None:
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post("/v1/auth/token/create", json={field: -5})
    assert err.value.errors == [f"{field} must be positive"]


def test_ttl_capped_by_explicit_max_with_warning(hv: hvac.Client) -> None:
    response = hv.auth.token.create(ttl="1h", explicit_max_ttl="1m")
    assert response["auth"]["lease_duration"] == 60
    assert response["warnings"] == [
        'TTL of "1h" exceeded the effective max_ttl of "1m"; TTL value is capped accordingly']


def test_periodic_token(hv: hvac.Client) -> None:
    token = hv.auth.token.create(period="30m")["auth"]
    assert token["lease_duration"] == 1800
    renewed = hv.auth.token.renew(token["client_token"], increment="10h")
    assert renewed["auth"]["lease_duration"] == 1800, "a periodic token renews to its period"
    assert hv.auth.token.lookup(token["client_token"])["data"]["period"] == 1800


def test_orphan_tokens(server: ServerProcess, hv: hvac.Client, policy: str) -> None:
    assert hv.auth.token.create(no_parent=True, ttl="1h")["auth"]["orphan"] is True
    assert hv.auth.token.create_orphan(ttl="1h")["auth"]["orphan"] is True

    parent = hv.auth.token.create(policies=[policy], ttl="1h")["auth"]["client_token"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hvac_client(server, parent).auth.token.create(no_parent=True, policies=[policy])
    assert err.value.errors == ["root or sudo privileges required to create orphan token"]


def test_child_policies_must_be_subset(server: ServerProcess, hv: hvac.Client, policy: str) -> None:
    parent = hv.auth.token.create(policies=[policy], ttl="1h")["auth"]["client_token"]
    child = hvac_client(server, parent).auth.token.create(ttl="1h")["auth"]
    assert child["policies"] == sorted(["default", policy]), "no policies given: inherits the parent's"
    with pytest.raises(exceptions.InvalidRequest) as err:
        hvac_client(server, parent).auth.token.create(policies=["root"])
    assert err.value.errors == ["child policies must be subset of parent"]


def test_revoke_revokes_children_and_revoked_token_gets_403(server: ServerProcess, hv: hvac.Client) -> None:
    parent = hv.auth.token.create(ttl="1h")["auth"]["client_token"]
    child = hvac_client(server, parent).auth.token.create(ttl="3h")["auth"]["client_token"]
    grandchild = hvac_client(server, child).auth.token.create(ttl="1h")["auth"]["client_token"]
    assert hv.auth.token.revoke(parent).status_code == 204
    for token in (parent, child, grandchild):
        with pytest.raises(exceptions.Forbidden) as err:
            hvac_client(server, token).auth.token.lookup_self()
        assert err.value.errors == ["permission denied"]
        with pytest.raises(exceptions.Forbidden) as err:
            hv.auth.token.lookup(token)
        assert err.value.errors == ["bad token"]


def test_revoke_orphan_keeps_children(server: ServerProcess, hv: hvac.Client) -> None:
    parent = hv.auth.token.create(ttl="1h")["auth"]["client_token"]
    child = hvac_client(server, parent).auth.token.create(ttl="1h")["auth"]["client_token"]
    assert hv.auth.token.revoke_and_orphan_children(parent).status_code == 204
    with pytest.raises(exceptions.Forbidden):
        hvac_client(server, parent).auth.token.lookup_self()
    assert hvac_client(server, child).auth.token.lookup_self()["data"]["orphan"] is True
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.auth.token.revoke_and_orphan_children(parent)
    assert err.value.errors == ["token to revoke not found"]


def test_revoke_self_and_accessor(server: ServerProcess, hv: hvac.Client) -> None:
    first = hv.auth.token.create(ttl="1h")["auth"]
    assert hv.auth.token.revoke_accessor(first["accessor"]).status_code == 204
    with pytest.raises(exceptions.Forbidden):
        hv.auth.token.lookup(first["client_token"])
    second = hv.auth.token.create(ttl="1h")["auth"]["client_token"]
    assert hvac_client(server, second).auth.token.revoke_self().status_code == 204
    with pytest.raises(exceptions.Forbidden):
        hv.auth.token.lookup(second)


def test_token_roles(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    p1, p2, role = unique("p1"), unique("p2"), unique("role")
    for name in (p1, p2):
        hv.sys.create_or_update_acl_policy(name, 'path "x/*" { capabilities = ["read"] }')
    response = hv.auth.token.create_or_update_role(role, allowed_policies=[p1, p2], orphan=True, token_period="1h")
    assert response.status_code == 204
    read = hv.auth.token.read_role(role)["data"]
    assert (read["name"], read["orphan"], read["token_period"], read["renewable"]) == (role, True, 3600, True)
    assert sorted(read["allowed_policies"]) == sorted([p1, p2])
    assert role in hv.auth.token.list_roles()["data"]["keys"]

    auth = hv.auth.token.create(role_name=role)["auth"]
    assert auth["policies"] == sorted(["default", p1, p2])
    assert auth["orphan"] is True
    assert auth["lease_duration"] == 3600
    looked = hv.auth.token.lookup(auth["client_token"])["data"]
    assert looked["path"] == f"auth/token/create/{role}"
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.auth.token.create(role_name=role, policies=["other"])
    assert "must be subset of the role's allowed policies" in err.value.errors[0]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.auth.token.create(role_name=unique("nope"))
    assert err.value.errors[0].startswith("unknown role")
    assert hv.auth.token.delete_role(role).status_code == 204


def test_acl_denies_with_multierror_text(server: ServerProcess, hv: hvac.Client, policy: str) -> None:
    token = hv.auth.token.create(policies=[policy], ttl="1h")["auth"]["client_token"]
    with pytest.raises(exceptions.Forbidden) as err:
        hvac_client(server, token).sys.list_mounted_secrets_engines()
    assert err.value.errors == ["1 error occurred:\n\t* permission denied\n\n"]


def test_missing_token_is_permission_denied(server: ServerProcess) -> None:
    with pytest.raises(exceptions.Forbidden) as err:
        hvac_client(server, "").sys.list_mounted_secrets_engines()
    assert err.value.errors == ["permission denied"]


def test_role_name_in_body_is_ignored_with_warning(hv: hvac.Client) -> None:
    response = hv.adapter.post("/v1/auth/token/create", json={"role_name": "nope", "ttl": "1h"})
    assert response["auth"]["lease_duration"] == 3600
    assert response["warnings"] == ["Endpoint ignored these unrecognized parameters: [role_name]"]


def test_batch_token(server: ServerProcess, hv: hvac.Client) -> None:
    auth = hv.auth.token.create(type="batch", ttl="1h", policies=["default"])["auth"]
    assert (auth["token_type"], auth["accessor"], auth["renewable"]) == ("batch", "", False)
    looked = hvac_client(server, auth["client_token"]).auth.token.lookup_self()["data"]
    assert (looked["type"], looked["accessor"]) == ("batch", "")
