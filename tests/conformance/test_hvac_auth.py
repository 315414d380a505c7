"""hvac against the userpass and approle auth methods."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator

import hvac
import pytest
from conformance_support import hvac_client
from hvac import exceptions

from serverproc import ServerProcess


@pytest.fixture
def userpass(hv: hvac.Client, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("userpass")
    hv.sys.enable_auth_method("userpass", path=mount)
    yield mount
    hv.sys.disable_auth_method(mount)


@pytest.fixture
def approle(hv: hvac.Client, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("approle")
    hv.sys.enable_auth_method("approle", path=mount)
    yield mount
    hv.sys.disable_auth_method(mount)


@pytest.fixture
def policy(hv: hvac.Client, unique: Callable[[str], str]) -> str:
    name = unique("p")
    hv.sys.create_or_update_acl_policy(name, 'path "secret/data/auth-conf/*" { capabilities = ["read", "create"] }')
    return name


def test_userpass_create_read_login(server: ServerProcess, hv: hvac.Client, userpass: str, policy: str) -> None:
    up = hv.auth.userpass
    response = up.create_or_update_user("alice", password="s3cret", mount_point=userpass,
                                        token_policies=[policy], token_ttl="1h", token_max_ttl="4h")
    assert response.status_code == 204
    user = up.read_user("alice", mount_point=userpass)["data"]
    assert "password" not in user
    assert (user["token_ttl"], user["token_max_ttl"], user["token_policies"]) == (3600, 14400, [policy])
    assert "alice" in up.list_user(mount_point=userpass)["data"]["keys"]

    client = hvac_client(server, "")
    login = client.auth.userpass.login("alice", "s3cret", mount_point=userpass)
    auth = login["auth"]
    assert login["data"] is None
    assert auth["policies"] == sorted(["default", policy])
    assert auth["token_policies"] == sorted(["default", policy])
    assert auth["metadata"] == {"username": "alice"}
    assert (auth["lease_duration"], auth["renewable"], auth["orphan"], auth["token_type"]) == (3600, True, True,
                                                                                           "service")
    assert client.token == auth["client_token"], "hvac adopts the login token"
    own = client.auth.token.lookup_self()["data"]
    assert own["display_name"] == f"{userpass}-alice"
    assert own["path"] == f"auth/{userpass}/login/alice"
    assert own["meta"] == {"username": "alice"}

    client.secrets.kv.v2.create_or_update_secret("auth-conf/x", {"k": "v"})
    with pytest.raises(exceptions.Forbidden):
        client.secrets.kv.v2.create_or_update_secret("elsewhere", {"k": "v"})


def test_userpass_wrong_password_and_unknown_user(server: ServerProcess, hv: hvac.Client, userpass: str) -> None:
    hv.auth.userpass.create_or_update_user("bob", password="right", mount_point=userpass)
    client = hvac_client(server, "")
    for user, password in (("bob", "wrong"), ("nobody", "right")):
        with pytest.raises(exceptions.InvalidRequest) as err:
            client.auth.userpass.login(user, password, mount_point=userpass)
        assert err.value.errors == ["invalid username or password"]


def test_userpass_names_are_case_insensitive(server: ServerProcess, hv: hvac.Client, userpass: str) -> None:
    hv.auth.userpass.create_or_update_user("Carol", password="pw", mount_point=userpass)
    assert hv.auth.userpass.list_user(mount_point=userpass)["data"]["keys"] == ["carol"]
    assert hvac_client(server, "").auth.userpass.login("CAROL", "pw", mount_point=userpass)["auth"]["client_token"]


def test_userpass_password_change_and_delete(server: ServerProcess, hv: hvac.Client, userpass: str) -> None:
    hv.auth.userpass.create_or_update_user("dave", password="old", mount_point=userpass)
    assert hv.auth.userpass.update_password_on_user("dave", "new", mount_point=userpass).status_code == 204
    client = hvac_client(server, "")
    with pytest.raises(exceptions.InvalidRequest):
        client.auth.userpass.login("dave", "old", mount_point=userpass)
    client.auth.userpass.login("dave", "new", mount_point=userpass)
    assert hv.auth.userpass.delete_user("dave", mount_point=userpass).status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        hv.auth.userpass.read_user("dave", mount_point=userpass)


def test_disabling_auth_mount_revokes_its_tokens(server: ServerProcess, hv: hvac.Client,
                                                 unique: Callable[[str], str]) -> None:
    mount = unique("up-gone")
    hv.sys.enable_auth_method("userpass", path=mount)
    hv.auth.userpass.create_or_update_user("erin", password="pw", mount_point=mount)
    client = hvac_client(server, "")
    client.auth.userpass.login("erin", "pw", mount_point=mount)
    client.auth.token.lookup_self()
    hv.sys.disable_auth_method(mount)
    with pytest.raises(exceptions.Forbidden):
        client.auth.token.lookup_self()


def test_approle_role_ids_secret_ids_login(server: ServerProcess, hv: hvac.Client, approle: str,
                                          policy: str) -> None:
    ar = hv.auth.approle
    response = ar.create_or_update_approle("app", token_policies=[policy], token_ttl="20m", token_max_ttl="30m",
                                           secret_id_ttl="10m", secret_id_num_uses=2, mount_point=approle)
    assert response.status_code == 204
    role = ar.read_role("app", mount_point=approle)["data"]
    assert (role["token_ttl"], role["token_max_ttl"], role["secret_id_ttl"]) == (1200, 1800, 600)
    assert (role["secret_id_num_uses"], role["bind_secret_id"], role["token_policies"]) == (2, True, [policy])
    assert ar.list_roles(mount_point=approle)["data"]["keys"] == ["app"]

    role_id = ar.read_role_id("app", mount_point=approle)["data"]["role_id"]
    uuid.UUID(role_id)
    generated = ar.generate_secret_id("app", metadata={"host": "web1"}, mount_point=approle)["data"]
    assert set(generated) >= {"secret_id", "secret_id_accessor", "secret_id_num_uses", "secret_id_ttl"}
    assert (generated["secret_id_num_uses"], generated["secret_id_ttl"]) == (2, 600)
    uuid.UUID(generated["secret_id"])

    looked = ar.read_secret_id("app", generated["secret_id"], mount_point=approle)["data"]
    assert looked["metadata"] == {"host": "web1"}
    assert looked["secret_id_accessor"] == generated["secret_id_accessor"]
    assert ar.list_secret_id_accessors("app", mount_point=approle)["data"]["keys"] == [
        generated["secret_id_accessor"]]

    client = hvac_client(server, "")
    auth = client.auth.approle.login(role_id, generated["secret_id"], mount_point=approle)["auth"]
    assert auth["metadata"] == {"host": "web1", "role_name": "app"}
    assert auth["policies"] == sorted(["default", policy])
    assert (auth["lease_duration"], auth["orphan"], auth["renewable"]) == (1200, True, True)
    assert client.auth.token.lookup_self()["data"]["display_name"] == f"{approle}"


def test_approle_secret_id_num_uses(server: ServerProcess, hv: hvac.Client, approle: str) -> None:
    ar = hv.auth.approle
    ar.create_or_update_approle("limited", secret_id_num_uses=2, mount_point=approle)
    role_id = ar.read_role_id("limited", mount_point=approle)["data"]["role_id"]
    secret_id = ar.generate_secret_id("limited", mount_point=approle)["data"]["secret_id"]
    client = hvac_client(server, "")
    client.auth.approle.login(role_id, secret_id, mount_point=approle)
    client.auth.approle.login(role_id, secret_id, mount_point=approle)
    with pytest.raises(exceptions.InvalidRequest) as err:
        client.auth.approle.login(role_id, secret_id, mount_point=approle)
    assert err.value.errors == ["invalid role or secret ID"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        client.auth.approle.login(role_id, "not-a-secret-id", mount_point=approle)
    assert err.value.errors == ["invalid role or secret ID"]


def test_approle_custom_role_id_custom_secret_id_destroy(server: ServerProcess, hv: hvac.Client,
                                                        approle: str) -> None:
    ar = hv.auth.approle
    ar.create_or_update_approle("custom", mount_point=approle)
    assert ar.update_role_id("custom", "my-custom-role-id", mount_point=approle).status_code == 204
    assert ar.read_role_id("custom", mount_point=approle)["data"]["role_id"] == "my-custom-role-id"
    created = ar.create_custom_secret_id("custom", "my-custom-sid", metadata={"a": "b"}, mount_point=approle)
    assert created["data"]["secret_id"] == "my-custom-sid"
    client = hvac_client(server, "")
    assert client.auth.approle.login("my-custom-role-id", "my-custom-sid", mount_point=approle)["auth"]["metadata"] == {
        "a": "b", "role_name": "custom"}
    assert ar.destroy_secret_id("custom", "my-custom-sid", mount_point=approle).status_code == 204
    with pytest.raises(exceptions.InvalidRequest):
        client.auth.approle.login("my-custom-role-id", "my-custom-sid", mount_point=approle)


def test_approle_metadata_string_and_accessor_lookup(hv: hvac.Client, approle: str) -> None:
    hv.auth.approle.create_or_update_approle("meta", mount_point=approle)
    generated = hv.adapter.post(f"/v1/auth/{approle}/role/meta/secret-id",
                                json={"metadata": json.dumps({"host": "web2"})})["data"]
    by_accessor = hv.auth.approle.read_secret_id_accessor("meta", generated["secret_id_accessor"],
                                                          mount_point=approle)["data"]
    assert by_accessor["metadata"] == {"host": "web2"}
    assert hv.auth.approle.destroy_secret_id_accessor("meta", generated["secret_id_accessor"],
                                                      mount_point=approle).status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        hv.auth.approle.list_secret_id_accessors("meta", mount_point=approle)
