"""Identity against a real server process, through hvac: templated policies across aliases, metadata templates,
group policies (direct and nested), external groups from a JWT groups claim (a real OpenID provider), merge,
root refusal, disabled entities, and group changes reaching tokens already issued.

GitHub teams are covered in process (tests/identity/test_core_external_groups.py): the github method's outbound
client trusts only the public roots (no CA setting, environment ignored), so a server process cannot reach a
local stand-in over TLS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import hvac
import pytest
from hvac import exceptions

from auth_jwt.conftest import OpenIdProvider, provider  # noqa: F401
from serverproc import ServerProcess, start

KV = "secret"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A dev server of this module's own (fixed mount names cannot clash with other suites)."""
    proc = start(tmp_path_factory.mktemp("identity-server"))
    yield proc
    proc.stop()


@pytest.fixture
def hv(srv: ServerProcess) -> hvac.Client:
    return hvac.Client(url=srv.addr, token=srv.root_token, timeout=30)


def as_token(srv: ServerProcess, token: str) -> hvac.Client:
    return hvac.Client(url=srv.addr, token=token, timeout=30)


def accessor(hv: hvac.Client, path: str) -> str:
    return str(hv.sys.list_auth_methods()["data"][f"{path}/"]["accessor"])


def can_read(client: hvac.Client, path: str) -> bool:
    try:
        client.secrets.kv.v2.read_secret_version(path=path, mount_point=KV, raise_on_deleted_version=True)
    except exceptions.Forbidden:
        return False
    return True


def can_write(client: hvac.Client, path: str) -> bool:
    try:
        client.secrets.kv.v2.create_or_update_secret(path=path, secret={"k": "v"}, mount_point=KV)
    except exceptions.Forbidden:
        return False
    return True


def userpass_login(hv: hvac.Client, mount: str, user: str) -> dict[str, Any]:
    hv.auth.userpass.create_or_update_user(user, "pw-" + user, mount_point=mount)
    client = hvac.Client(url=hv.url, timeout=30)
    return dict(client.auth.userpass.login(user, "pw-" + user, mount_point=mount)["auth"])


def test_templated_policy_across_two_aliases_and_metadata(hv: hvac.Client, srv: ServerProcess) -> None:
    hv.sys.enable_auth_method("userpass", path="up-t")
    hv.sys.enable_auth_method("approle", path="ar-t")
    up, ar = accessor(hv, "up-t"), accessor(hv, "ar-t")
    hv.sys.create_or_update_policy("t-alias", f'''
path "{KV}/data/up/{{{{identity.entity.aliases.{up}.name}}}}/*" {{ capabilities = ["create", "update", "read"] }}
path "{KV}/data/ar/{{{{identity.entity.aliases.{ar}.name}}}}/*" {{ capabilities = ["create", "update", "read"] }}
path "{KV}/data/team/{{{{identity.entity.metadata.team}}}}/*" {{ capabilities = ["read"] }}
''')
    entity_id = hv.secrets.identity.create_or_update_entity("carol", policies=["t-alias"],
                                                            metadata={"team": "payments"})["data"]["id"]
    hv.auth.approle.create_or_update_approle("bot", mount_point="ar-t")
    role_id = hv.auth.approle.read_role_id("bot", mount_point="ar-t")["data"]["role_id"]
    secret_id = hv.auth.approle.generate_secret_id("bot", mount_point="ar-t")["data"]["secret_id"]
    hv.secrets.identity.create_or_update_entity_alias("carol", entity_id, up)
    hv.secrets.identity.create_or_update_entity_alias(role_id, entity_id, ar)
    up_auth = userpass_login(hv, "up-t", "carol")
    ar_auth = hvac.Client(url=srv.addr).auth.approle.login(role_id, secret_id, mount_point="ar-t")["auth"]
    assert up_auth["entity_id"] == ar_auth["entity_id"] == entity_id
    for token in (up_auth["client_token"], ar_auth["client_token"]):
        client = as_token(srv, token)
        assert can_write(client, "up/carol/x") and can_write(client, f"ar/{role_id}/x")
        assert not can_write(client, f"up/{role_id}/x") and not can_write(client, "ar/carol/x")
        assert not can_write(client, "up/dave/x")
    hv.secrets.kv.v2.create_or_update_secret("team/payments/doc", {"k": "v"}, mount_point=KV)
    hv.secrets.kv.v2.create_or_update_secret("team/ops/doc", {"k": "v"}, mount_point=KV)
    client = as_token(srv, up_auth["client_token"])
    assert can_read(client, "team/payments/doc") and not can_read(client, "team/ops/doc")
    hv.secrets.identity.update_entity(entity_id, metadata={"team": "ops"})
    assert can_read(client, "team/ops/doc") and not can_read(client, "team/payments/doc")


def test_group_policies_direct_nested_and_removal(hv: hvac.Client, srv: ServerProcess) -> None:
    hv.sys.enable_auth_method("userpass", path="up-g")
    hv.sys.create_or_update_policy("g-dev", f'path "{KV}/data/g/dev" {{ capabilities = ["read"] }}')
    hv.sys.create_or_update_policy("g-ops", f'path "{KV}/data/g/ops" {{ capabilities = ["read"] }}')
    for name in ("dev", "ops"):
        hv.secrets.kv.v2.create_or_update_secret(f"g/{name}", {"k": "v"}, mount_point=KV)
    entity_id = userpass_login(hv, "up-g", "erin")["entity_id"]
    eng = hv.secrets.identity.create_or_update_group("g-eng", policies=["g-dev"],
                                                     member_entity_ids=[entity_id])["data"]["id"]
    hv.secrets.identity.create_or_update_group("g-all", policies=["g-ops"], member_group_ids=[eng])
    auth = hvac.Client(url=srv.addr).auth.userpass.login("erin", "pw-erin", mount_point="up-g")["auth"]
    assert sorted(auth["identity_policies"]) == ["g-dev", "g-ops"]
    assert auth["policies"] == ["default", "g-dev", "g-ops"] and auth["token_policies"] == ["default"]
    client = as_token(srv, auth["client_token"])
    assert can_read(client, "g/dev") and can_read(client, "g/ops")
    looked = client.auth.token.lookup_self()["data"]
    assert looked["entity_id"] == entity_id and sorted(looked["identity_policies"]) == ["g-dev", "g-ops"]
    group = hv.secrets.identity.read_group_by_name("g-all")["data"]
    hv.secrets.identity.update_group(group["id"], "g-all", policies=[])
    assert not can_read(client, "g/ops") and can_read(client, "g/dev")
    assert client.auth.token.lookup_self()["data"]["identity_policies"] == ["g-dev"]


@pytest.mark.parametrize("spelling", ["root", "ROOT", " root", "r\u043e\u043et", "ro\u200bot", "\u200broot"])
def test_root_is_refused_through_identity(hv: hvac.Client, spelling: str) -> None:
    with pytest.raises(exceptions.InvalidRequest):
        hv.secrets.identity.create_or_update_entity("mallory", policies=["dev", spelling])
    with pytest.raises(exceptions.InvalidRequest):
        hv.secrets.identity.create_or_update_group("mallory-group", policies=[spelling])
    with pytest.raises(exceptions.InvalidPath):
        hv.secrets.identity.read_entity_by_name("mallory")


def test_merge_moves_aliases_and_old_tokens_follow(hv: hvac.Client, srv: ServerProcess) -> None:
    hv.sys.enable_auth_method("userpass", path="up-m1")
    hv.sys.enable_auth_method("userpass", path="up-m2")
    hv.sys.create_or_update_policy("m-read", f'path "{KV}/data/m/*" {{ capabilities = ["read"] }}')
    hv.secrets.kv.v2.create_or_update_secret("m/doc", {"k": "v"}, mount_point=KV)
    first = userpass_login(hv, "up-m1", "frank")
    second = userpass_login(hv, "up-m2", "frank")
    assert first["entity_id"] != second["entity_id"]
    hv.secrets.identity.update_entity(first["entity_id"], policies=["m-read"])
    assert not can_read(as_token(srv, second["client_token"]), "m/doc")
    hv.secrets.identity.merge_entities([second["entity_id"]], first["entity_id"])
    merged = hv.secrets.identity.read_entity(first["entity_id"])["data"]
    assert sorted(a["mount_path"] for a in merged["aliases"]) == ["auth/up-m1/", "auth/up-m2/"]
    assert merged["merged_entity_ids"] == [second["entity_id"]]
    assert can_read(as_token(srv, second["client_token"]), "m/doc")
    again = hvac.Client(url=srv.addr).auth.userpass.login("frank", "pw-frank", mount_point="up-m2")["auth"]
    assert again["entity_id"] == first["entity_id"]
    # Two entities with aliases on one mount: refused unless the alias to keep is named.
    third = userpass_login(hv, "up-m1", "frank2")
    with pytest.raises(exceptions.InvalidRequest):
        hv.secrets.identity.merge_entities([third["entity_id"]], first["entity_id"], force=True)


def test_disabled_entity_is_refused(hv: hvac.Client, srv: ServerProcess) -> None:
    hv.sys.enable_auth_method("userpass", path="up-d")
    auth = userpass_login(hv, "up-d", "dora")
    client = as_token(srv, auth["client_token"])
    client.auth.token.lookup_self()
    hv.secrets.identity.update_entity(auth["entity_id"], disabled=True)
    with pytest.raises(exceptions.Forbidden):
        client.auth.token.lookup_self()


def test_jwt_groups_claim_maps_to_external_group(hv: hvac.Client, srv: ServerProcess,
                                                 provider: OpenIdProvider) -> None:  # noqa: F811
    hv.sys.enable_auth_method("jwt", path="jwt-x", config={}, options={"allow_loopback": "true"})
    hv.write("auth/jwt-x/config", oidc_discovery_url=provider.issuer, oidc_discovery_ca_pem=provider.tls.ca_pem)
    hv.write("auth/jwt-x/role/ci", role_type="jwt", user_claim="sub", bound_audiences=["vault"],
             groups_claim="groups", token_policies=["p1"])
    hv.sys.create_or_update_policy("x-dev", f'path "{KV}/data/x/*" {{ capabilities = ["read"] }}')
    hv.secrets.kv.v2.create_or_update_secret("x/doc", {"k": "v"}, mount_point=KV)
    gid = hv.secrets.identity.create_or_update_group("x-admins", group_type="external",
                                                     policies=["x-dev"])["data"]["id"]
    hv.secrets.identity.create_or_update_group_alias("admins", mount_accessor=accessor(hv, "jwt-x"),
                                                     canonical_id=gid)
    now = int(time.time())
    claims = {"iss": provider.issuer, "sub": "svc-7", "aud": "vault", "iat": now, "nbf": now, "exp": now + 300,
              "groups": ["admins", "unmapped"]}
    reply = hvac.Client(url=srv.addr).write("auth/jwt-x/login", role="ci", jwt=provider.keys[0].sign(claims))
    auth = reply["auth"]
    assert auth["identity_policies"] == ["x-dev"] and auth["policies"] == ["default", "p1", "x-dev"]
    assert can_read(as_token(srv, auth["client_token"]), "x/doc")
    assert hv.secrets.identity.read_group(gid)["data"]["member_entity_ids"] == [auth["entity_id"]]


def test_wire_shapes_through_hvac(hv: hvac.Client, srv: ServerProcess) -> None:
    hv.sys.enable_auth_method("userpass", path="up-w")
    up = accessor(hv, "up-w")
    created = hv.secrets.identity.create_or_update_entity("wendy", policies=["p1"], metadata={"team": "payments"})
    assert set(created["data"]) == {"aliases", "id", "name"} and created["data"]["aliases"] is None
    entity_id = created["data"]["id"]
    alias = hv.secrets.identity.create_or_update_entity_alias("wendy", entity_id, up)["data"]
    assert alias["canonical_id"] == entity_id
    listed = hv.secrets.identity.list_entities()["data"]
    assert entity_id in listed["keys"]
    assert listed["key_info"][entity_id] == {"aliases": [{"id": alias["id"], "mount_accessor": up,
                                                           "mount_path": "auth/up-w/", "mount_type": "userpass",
                                                           "name": "wendy"}], "name": "wendy"}
    assert "wendy" in hv.secrets.identity.list_entities_by_name()["data"]["keys"]
    read = hv.secrets.identity.read_entity_alias(alias["id"])["data"]
    assert read["mount_path"] == "auth/up-w/" and read["namespace_id"] == "root" and read["local"] is False
    group = hv.secrets.identity.create_or_update_group("w-eng", policies=["dev"], member_entity_ids=[entity_id],
                                                       metadata={"x": "y"})["data"]
    data = hv.secrets.identity.read_group(group["id"])["data"]
    assert (data["type"], data["alias"], data["member_group_ids"], data["modify_index"]) == ("internal", {}, None, 1)
    found = hv.secrets.identity.lookup_entity(alias_name="wendy", alias_mount_accessor=up)["data"]
    assert found["id"] == entity_id and found["direct_group_ids"] == [group["id"]]
    assert hv.secrets.identity.lookup_group(name="w-eng")["data"]["id"] == group["id"]
    hv.secrets.identity.delete_group(group["id"])
    hv.secrets.identity.delete_entity(entity_id)
    with pytest.raises(exceptions.InvalidPath):
        hv.secrets.identity.read_entity(entity_id)
