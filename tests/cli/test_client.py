"""`strongroom.client` against a real server (see conftest.SERVER_KINDS)."""

from __future__ import annotations

import uuid

import pytest

from strongroom.client import ApiError, Client, ConnectionFailed, UsageError

from .conftest import DevServer, free_port


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def kv1(root: Client) -> str:
    mount = unique("kv1-")
    root.sys.enable_secrets(mount, "kv", options={"version": "1"})
    return mount


def test_kv2_round_trip(root: Client) -> None:
    kv = root.secrets.kv
    path = f"secret/{unique('app-')}"
    written = kv.put(path, {"user": "u", "pass": "p1"})
    assert written is not None and written.data is not None and written.data["version"] == 1
    patched = kv.patch(path, {"pass": "p2", "user": None})
    assert patched is not None and patched.data is not None and patched.data["version"] == 2
    latest = kv.get(path)
    assert latest is not None and latest.kv_version == 2 and latest.data == {"pass": "p2"}
    first = kv.get(path, version=1)
    assert first is not None and first.data == {"user": "u", "pass": "p1"}
    assert kv.get(f"{path}-missing") is None


def test_kv2_cas_mismatch_raises_api_error(root: Client) -> None:
    path = f"secret/{unique('cas-')}"
    root.secrets.kv.put(path, {"a": "1"}, cas=0)
    with pytest.raises(ApiError) as caught:
        root.secrets.kv.put(path, {"a": "2"}, cas=0)
    assert caught.value.status == 400
    assert any("check-and-set" in e for e in caught.value.errors)


def test_kv2_delete_undelete_destroy_and_metadata(root: Client) -> None:
    kv = root.secrets.kv
    name = unique("life-")
    for n in range(3):
        kv.put(f"secret/{name}", {"n": str(n)})
    kv.delete(f"secret/{name}")
    deleted = kv.get(f"secret/{name}")
    assert deleted is not None and deleted.data is None
    assert deleted.metadata is not None and deleted.metadata["deletion_time"]
    kv.undelete(f"secret/{name}", [3])
    restored = kv.get(f"secret/{name}")
    assert restored is not None and restored.data == {"n": "2"}
    kv.destroy(name, [1], mount="secret")
    destroyed = kv.get(f"secret/{name}", version=1)
    assert destroyed is not None and destroyed.data is None
    assert destroyed.metadata is not None and destroyed.metadata["destroyed"] is True
    kv.delete(f"secret/{name}", versions=[2])

    kv.metadata.put(f"secret/{name}", max_versions=5, custom_metadata={"owner": "team-a"})
    meta = kv.metadata.get(f"secret/{name}")
    assert meta is not None and meta.data is not None
    assert meta.data["max_versions"] == 5 and meta.data["custom_metadata"] == {"owner": "team-a"}
    assert meta.data["versions"]["2"]["deletion_time"]
    assert name in (kv.list("secret/") or [])
    kv.metadata.delete(f"secret/{name}")
    assert kv.metadata.get(f"secret/{name}") is None


def test_kv1_round_trip_and_v2_only_operations(root: Client, kv1: str) -> None:
    kv = root.secrets.kv
    assert kv.resolve(f"{kv1}/a/b").version == 1
    assert kv.put(f"{kv1}/app/db", {"user": "u"}) is None
    got = kv.get(f"{kv1}/app/db")
    assert got is not None and got.kv_version == 1 and got.data == {"user": "u"}
    assert kv.list(kv1) == ["app/"]
    assert kv.list(f"{kv1}/app") == ["db"]
    with pytest.raises(UsageError):
        kv.patch(f"{kv1}/app/db", {"user": "v"})
    with pytest.raises(UsageError):
        kv.undelete(f"{kv1}/app/db", [1])
    kv.delete(f"{kv1}/app/db")
    assert kv.get(f"{kv1}/app/db") is None


def test_generic_read_write_list_delete(root: Client, kv1: str) -> None:
    assert root.write(f"{kv1}/x", color="blue") is None
    assert root.write_data(f"{kv1}/y", {"key-with-dash": "v"}) is None
    secret = root.read(f"{kv1}/y")
    assert secret is not None and secret.data == {"key-with-dash": "v"}
    assert root.list(kv1) == ["x", "y"]
    root.delete(f"{kv1}/x")
    assert root.read(f"{kv1}/x") is None
    assert root.list(f"{kv1}/nothing-here") is None


def test_unknown_mount_raises_instead_of_reading_as_empty(root: Client) -> None:
    with pytest.raises(ApiError) as caught:
        root.read("no-such-mount/x")
    assert caught.value.status == 404 and caught.value.errors


def test_bad_token_is_a_403_that_does_not_echo_the_token(server: DevServer) -> None:
    with server.client("s.not-a-real-token-value") as client, pytest.raises(ApiError) as caught:
        client.secrets.kv.get("secret/x")
    assert caught.value.status == 403
    assert "not-a-real-token-value" not in str(caught.value)


def test_connection_failure() -> None:
    with Client(f"http://127.0.0.1:{free_port()}", "t") as client, pytest.raises(ConnectionFailed):
        client.sys.seal_status()


def test_sys_status_keys_and_mounts(root: Client) -> None:
    status = root.sys.seal_status()
    assert status.initialized and not status.sealed
    term = root.sys.key_status().term
    root.sys.rotate()
    assert root.sys.key_status().term == term + 1
    assert "secret/" in root.sys.mounts()
    mount = unique("kv-")
    root.sys.enable_secrets(mount, "kv", description="store", options={"version": "1"})
    root.sys.tune(mount, default_lease_ttl="1h", description="tuned")
    assert root.sys.read_tune(mount)["default_lease_ttl"] == 3600
    assert root.sys.mounts()[f"{mount}/"].description == "tuned"
    root.sys.disable_secrets(mount)
    assert f"{mount}/" not in root.sys.mounts()
    assert root.sys.audit_devices() == {}


def test_auth_methods_and_policies(root: Client) -> None:
    path = unique("up-")
    root.sys.enable_auth(path, "userpass", description="people")
    methods = root.sys.auth_methods()
    assert methods[f"{path}/"].type == "userpass" and "token/" in methods
    root.sys.disable_auth(path)
    assert f"{path}/" not in root.sys.auth_methods()

    name = unique("pol-")
    text = 'path "secret/data/*" {\n  capabilities = ["read"]\n}\n'
    root.sys.write_policy(name, text)
    assert root.sys.read_policy(name) == text
    assert name in root.sys.list_policies()
    root.sys.delete_policy(name)
    assert root.sys.read_policy(name) is None


def test_token_lifecycle_and_capabilities(root: Client, server: DevServer) -> None:
    policy = unique("reader-")
    root.sys.write_policy(policy, 'path "secret/data/shared/*" { capabilities = ["read", "list"] }')
    created = root.token.create(policies=[policy], ttl="1h", meta={"team": "a"}, display_name="ci")
    assert created.auth is not None
    token = created.auth.client_token
    assert created.auth.policies == ("default", policy) and created.auth.lease_duration == 3600
    assert token not in repr(created)

    looked = root.token.lookup(token)
    assert looked.data is not None and looked.data["meta"] == {"team": "a"}
    renewed = root.token.renew(token, "2h")
    assert renewed.auth is not None and renewed.auth.lease_duration == 7200
    capabilities = root.token.capabilities(["secret/data/shared/x"], token=token)
    assert sorted(capabilities["secret/data/shared/x"]) == ["list", "read"]
    with server.client(token) as child:
        self_info = child.token.lookup_self()
        assert self_info.data is not None and self_info.data["display_name"] == "token-ci"
        assert child.token.capabilities(["secret/data/other"]) == {"secret/data/other": ["deny"]}
    root.token.revoke(token)
    with pytest.raises(ApiError) as caught:
        root.token.lookup(token)
    assert caught.value.status == 403


def test_userpass_and_approle_logins(root: Client, server: DevServer) -> None:
    up = unique("up-")
    root.sys.enable_auth(up, "userpass")
    root.write(f"auth/{up}/users/alice", password="s3cret", token_policies="default")
    with server.client(None) as client:
        secret = client.auth.userpass.login("alice", "s3cret", mount=up)
        assert secret.auth is not None and secret.auth.metadata == {"username": "alice"}
        assert client.has_token
        assert client.token.lookup_self().data is not None
        with pytest.raises(ApiError) as caught:
            client.auth.userpass.login("alice", "wrong", mount=up, use_token=False)
        assert caught.value.status == 400

    ar = unique("ar-")
    root.sys.enable_auth(ar, "approle")
    root.write(f"auth/{ar}/role/app", token_policies="default", token_ttl="20m")
    role = root.read(f"auth/{ar}/role/app/role-id")
    sid = root.write(f"auth/{ar}/role/app/secret-id")
    assert role is not None and role.data is not None and sid is not None and sid.data is not None
    with server.client(None) as client:
        secret = client.auth.approle.login(role.data["role_id"], sid.data["secret_id"], mount=ar)
        assert secret.auth is not None and secret.auth.lease_duration == 1200
        assert client.token.lookup_self().data is not None
