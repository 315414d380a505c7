"""The real OpenBao CLI (`bao`) against Strongroom: outputs, JSON shapes and exit codes (0 ok, 1 usage, 2 server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conformance_support import Bao, unseal_key

from serverproc import ServerProcess


@pytest.fixture
def kv2(bao: Bao, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("bkv2")
    bao.ok("secrets", "enable", f"-path={mount}", "-version=2", "kv")
    yield mount
    bao("secrets", "disable", mount)


@pytest.fixture
def kv1(bao: Bao, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("bkv1")
    bao.ok("secrets", "enable", f"-path={mount}", "-version=1", "kv")
    yield mount
    bao("secrets", "disable", mount)


def test_status(bao: Bao) -> None:
    result = bao.ok("status")
    assert "Sealed" in result.stdout and "false" in result.stdout
    status = bao.json("status")
    assert (status["initialized"], status["sealed"], status["t"], status["n"]) == (True, False, 1, 1)
    assert status["type"] == "shamir"


def test_kv_v2_put_get_list(bao: Bao, kv2: str) -> None:
    put = bao.json("kv", "put", f"{kv2}/app", "user=u", "pass=p")
    assert put["data"]["version"] == 1
    assert "Success" not in put
    got = bao.json("kv", "get", f"{kv2}/app")
    assert got["data"]["data"] == {"user": "u", "pass": "p"}
    assert got["data"]["metadata"]["version"] == 1
    assert bao.ok("kv", "get", "-field=pass", f"{kv2}/app").stdout == "p"
    table = bao.ok("kv", "get", f"{kv2}/app").stdout
    assert f"{kv2}/data/app" in table and "user" in table

    bao.ok("kv", "put", f"{kv2}/app/nested", "x=1")
    assert bao.json("kv", "list", f"{kv2}/") == ["app", "app/"]
    assert bao.json("kv", "list", f"{kv2}/app") == ["nested"]


def test_kv_v2_versions_patch_delete_undelete_destroy(bao: Bao, kv2: str) -> None:
    bao.ok("kv", "put", f"{kv2}/v", "a=1")
    bao.ok("kv", "put", f"{kv2}/v", "a=2")
    patched = bao.json("kv", "patch", f"{kv2}/v", "b=3")
    assert patched["data"]["version"] == 3
    assert bao.json("kv", "get", f"{kv2}/v")["data"]["data"] == {"a": "2", "b": "3"}
    assert bao.json("kv", "get", "-version=1", f"{kv2}/v")["data"]["data"] == {"a": "1"}

    assert "Success! Data deleted (if it existed) at:" in bao.ok("kv", "delete", f"{kv2}/v").stdout
    deleted = bao.json("kv", "get", f"{kv2}/v")
    assert deleted["data"]["data"] is None, "the 404 body of a deleted version reaches the CLI"
    assert deleted["data"]["metadata"]["deletion_time"] != ""
    assert "== Data ==" not in bao.ok("kv", "get", f"{kv2}/v").stdout

    assert "Success" in bao.ok("kv", "undelete", "-versions=3", f"{kv2}/v").stdout
    assert bao.json("kv", "get", f"{kv2}/v")["data"]["data"] == {"a": "2", "b": "3"}

    assert "Success" in bao.ok("kv", "destroy", "-versions=2", f"{kv2}/v").stdout
    destroyed = bao.json("kv", "get", "-version=2", f"{kv2}/v")
    assert destroyed["data"]["data"] is None
    assert destroyed["data"]["metadata"]["destroyed"] is True

    meta = bao.json("kv", "metadata", "get", f"{kv2}/v")
    assert meta["data"]["current_version"] == 3
    assert meta["data"]["versions"]["2"]["destroyed"] is True
    assert meta["data"]["versions"]["1"]["destroyed"] is False
    table = bao.ok("kv", "metadata", "get", f"{kv2}/v").stdout
    assert "current_version" in table and "Version 3" in table


def test_kv_v2_cas_and_metadata_put_delete(bao: Bao, kv2: str) -> None:
    bao.ok("kv", "put", "-cas=0", f"{kv2}/c", "a=1")
    failed = bao("kv", "put", "-cas=0", f"{kv2}/c", "a=2")
    assert failed.code == 2
    assert "check-and-set parameter did not match the current version" in failed.stderr
    bao.ok("kv", "metadata", "put", "-max-versions=4", "-custom-metadata=owner=team-a", f"{kv2}/c")
    meta = bao.json("kv", "metadata", "get", f"{kv2}/c")["data"]
    assert (meta["max_versions"], meta["custom_metadata"]) == (4, {"owner": "team-a"})
    assert "Success" in bao.ok("kv", "metadata", "delete", f"{kv2}/c").stdout
    assert bao("kv", "get", f"{kv2}/c").code == 2


def test_kv_v2_on_dev_secret_mount(bao: Bao, unique: Callable[[str], str]) -> None:
    path = unique("cli")
    bao.ok("kv", "put", f"secret/{path}", "a=1")
    assert bao.json("kv", "get", f"secret/{path}")["data"]["data"] == {"a": "1"}
    assert bao.json("kv", "get", "-mount=secret", path)["data"]["data"] == {"a": "1"}
    bao.ok("kv", "metadata", "delete", f"secret/{path}")


def test_kv_v1_put_get_list_delete(bao: Bao, kv1: str) -> None:
    assert "Success! Data written to:" in bao.ok("kv", "put", f"{kv1}/app/db", "user=u", "ttl=30m").stdout
    got = bao.json("kv", "get", f"{kv1}/app/db")
    assert got["data"] == {"user": "u", "ttl": "30m"}
    assert got["lease_duration"] == 1800
    assert bao.ok("kv", "get", "-field=user", f"{kv1}/app/db").stdout == "u"
    assert bao.json("kv", "list", f"{kv1}/") == ["app/"]
    assert bao.json("kv", "list", f"{kv1}/app") == ["db"]
    bao.ok("kv", "delete", f"{kv1}/app/db")
    missing = bao("kv", "get", f"{kv1}/app/db")
    assert missing.code == 2
    assert f"No value found at {kv1}/app/db" in missing.stderr
    assert bao("kv", "patch", f"{kv1}/app/db", "a=1").code != 0


def test_kv_missing_and_usage_exit_codes(bao: Bao, kv2: str) -> None:
    missing = bao("kv", "get", f"{kv2}/nothing")
    assert missing.code == 2
    assert f"No value found at {kv2}/data/nothing" in missing.stderr
    assert bao("kv", "get").code == 1
    assert bao("kv", "put", f"{kv2}/x").code == 1
    assert bao("kv", "get", "-nosuchflag", f"{kv2}/x").code == 1


def test_secrets_enable_list_disable(bao: Bao, unique: Callable[[str], str]) -> None:
    path = unique("bmount")
    out = bao.ok("secrets", "enable", f"-path={path}", "-description=cli mount", "kv-v2").stdout
    assert f"Success! Enabled the kv-v2 secrets engine at: {path}/" in out
    listed = bao.json("secrets", "list")
    assert listed[f"{path}/"]["type"] == "kv"
    assert listed[f"{path}/"]["description"] == "cli mount"
    assert listed[f"{path}/"]["options"] == {"version": "2"}
    assert f"{path}/" in bao.ok("secrets", "list").stdout
    again = bao("secrets", "enable", f"-path={path}", "kv")
    assert again.code == 2
    assert f"path is already in use at {path}/" in again.stderr
    bao.ok("secrets", "tune", "-default-lease-ttl=1h", path)
    assert bao.json("read", f"sys/mounts/{path}/tune")["data"]["default_lease_ttl"] == 3600
    assert f"Success! Disabled the secrets engine (if it existed) at: {path}/" in bao.ok(
        "secrets", "disable", path).stdout
    assert f"{path}/" not in bao.json("secrets", "list")


def test_userpass_enable_write_login(bao: Bao, unique: Callable[[str], str]) -> None:
    path, policy = unique("bup"), unique("bpol")
    assert f"Success! Enabled userpass auth method at: {path}/" in bao.ok(
        "auth", "enable", f"-path={path}", "userpass").stdout
    assert f"{path}/" in bao.json("auth", "list")
    bao.ok("policy", "write", policy, "-", stdin='path "secret/data/alice/*" { capabilities = ["read", "create"] }')
    assert "Success! Data written to:" in bao.ok(
        "write", f"auth/{path}/users/alice", "password=s3cret", f"token_policies={policy}").stdout

    user = bao.as_token(None)
    login = user.ok("login", "-method=userpass", f"-path={path}", "username=alice", "password=s3cret")
    assert "Success! You are now authenticated." in login.stdout
    token_file = bao.home / ".vault-token"
    assert token_file.exists()
    me = user.json("token", "lookup")
    assert me["data"]["display_name"] == f"{path}-alice"
    assert sorted(me["data"]["policies"]) == sorted(["default", policy])
    assert me["data"]["id"] == token_file.read_text().strip()

    user.ok("kv", "put", "secret/alice/k", "v=1")
    denied = user("kv", "put", "secret/bob/k", "v=1")
    assert denied.code == 2
    assert "permission denied" in denied.stderr

    wrong = bao.as_token(None)("login", "-method=userpass", f"-path={path}", "username=alice", "password=nope")
    assert wrong.code == 2
    assert "invalid username or password" in wrong.stderr
    bao.ok("auth", "disable", path)


def test_login_with_token(bao: Bao) -> None:
    token = bao.json("token", "create", "-ttl=1h", "-policy=default")["auth"]["client_token"]
    fresh = bao.as_token(None)
    assert "Success! You are now authenticated." in fresh.ok("login", token).stdout
    assert fresh.json("token", "lookup")["data"]["id"] == token
    assert fresh("login", "s.notarealtokennotarealtok").code == 2


def test_policy_write_read_list_delete(bao: Bao, unique: Callable[[str], str], tmp_path: object) -> None:
    name = unique("bpolicy")
    text = 'path "secret/data/cli/*" {\n  capabilities = ["read", "list"]\n}\n'
    assert f"Success! Uploaded policy: {name}" in bao.ok("policy", "write", name, "-", stdin=text).stdout
    assert bao.ok("policy", "read", name).stdout.strip() == text.strip()
    assert bao.json("policy", "read", name)["policy"] == text
    assert name in bao.json("policy", "list")
    assert {"default", "root"} <= set(bao.ok("policy", "list").stdout.split())
    bad = bao("policy", "write", unique("bad"), "-", stdin='path "x" { capabilities = ["bogus"] }')
    assert bad.code == 2
    assert "failed to parse policy" in bad.stderr
    assert f"Success! Deleted policy: {name}" in bao.ok("policy", "delete", name).stdout
    missing = bao("policy", "read", name)
    assert missing.code == 2
    assert f"No policy named: {name}" in missing.stderr


def test_token_create_lookup_renew_revoke(bao: Bao) -> None:
    created = bao.json("token", "create", "-ttl=30m", "-policy=default", "-metadata=team=a", "-use-limit=10",
                       "-display-name=cli")
    auth = created["auth"]
    assert (auth["lease_duration"], auth["renewable"], auth["policies"]) == (1800, True, ["default"])
    assert auth["metadata"] == {"team": "a"}
    token = auth["client_token"]

    looked = bao.json("token", "lookup", token)["data"]
    assert (looked["display_name"], looked["num_uses"], looked["meta"]) == ("token-cli", 10, {"team": "a"})
    assert bao.json("token", "lookup", "-accessor", auth["accessor"])["data"]["accessor"] == auth["accessor"]
    assert bao.as_token(token).json("token", "lookup")["data"]["id"] == token

    renewed = bao.json("token", "renew", "-increment=1h", token)
    assert renewed["auth"]["lease_duration"] == 3600
    table = bao.ok("token", "lookup", token).stdout
    assert "display_name" in table and "token-cli" in table

    assert "Success! Revoked token (if it existed)" in bao.ok("token", "revoke", token).stdout
    gone = bao("token", "lookup", token)
    assert gone.code == 2
    assert "bad token" in gone.stderr
    assert bao.as_token(token)("token", "lookup").code == 2


def test_token_child_revoked_with_parent_and_orphan(bao: Bao) -> None:
    parent = bao.json("token", "create", "-ttl=1h")["auth"]["client_token"]
    child = bao.as_token(parent).json("token", "create", "-ttl=1h")["auth"]["client_token"]
    orphan = bao.json("token", "create", "-orphan", "-ttl=1h")["auth"]
    assert orphan["orphan"] is True
    bao.ok("token", "revoke", parent)
    assert bao("token", "lookup", child).code == 2
    assert bao.json("token", "lookup", orphan["client_token"])["data"]["orphan"] is True


def test_token_capabilities(bao: Bao, unique: Callable[[str], str]) -> None:
    policy = unique("bcaps")
    bao.ok("policy", "write", policy, "-", stdin='path "secret/data/caps/*" { capabilities = ["read", "list"] }')
    token = bao.json("token", "create", f"-policy={policy}", "-ttl=1h")["auth"]["client_token"]
    assert bao.ok("token", "capabilities", token, "secret/data/caps/x").stdout.strip() == "list, read"
    assert bao.ok("token", "capabilities", token, "secret/data/other").stdout.strip() == "deny"
    assert bao.as_token(token).ok("token", "capabilities", "secret/data/caps/x").stdout.strip() == "list, read"
    assert bao.ok("token", "capabilities", "secret/data/anything").stdout.strip() == "root"


def test_generic_read_write_list_delete(bao: Bao, kv1: str) -> None:
    assert f"Success! Data written to: {kv1}/g" in bao.ok("write", f"{kv1}/g", "a=1", "b=2").stdout
    assert bao.json("read", f"{kv1}/g")["data"] == {"a": "1", "b": "2"}
    assert bao.ok("read", "-field=b", f"{kv1}/g").stdout == "2"
    assert bao.json("list", f"{kv1}/") == ["g"]
    assert f"Success! Data deleted (if it existed) at: {kv1}/g" in bao.ok("delete", f"{kv1}/g").stdout
    missing = bao("read", f"{kv1}/g")
    assert missing.code == 2
    assert f"No value found at {kv1}/g" in missing.stderr

    written = bao.json("write", "sys/tools/hash", "input=aGVsbG8=")
    assert written["data"]["sum"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert {"default", "root"} <= set(bao.json("read", "sys/policy")["data"]["keys"])


def test_write_force_sends_null_body(bao: Bao, kv1: str) -> None:
    random = bao.json("write", "-f", "sys/tools/random")
    assert len(random["data"]["random_bytes"]) == 44
    empty = bao("write", "-f", f"{kv1}/f")
    assert empty.code == 2
    assert "missing data fields" in empty.stderr


def test_wrap_then_unwrap(bao: Bao, kv2: str) -> None:
    bao.ok("kv", "put", f"{kv2}/w", "password=hunter2")
    wrapped = bao.json("kv", "get", "-wrap-ttl=5m", f"{kv2}/w")
    info = wrapped["wrap_info"]
    assert info["ttl"] == 300
    assert info["creation_path"] == f"{kv2}/data/w"
    unwrapped = bao.json("unwrap", info["token"])
    assert unwrapped["data"]["data"] == {"password": "hunter2"}
    again = bao("unwrap", info["token"])
    assert again.code == 2
    assert "wrapping token is not valid or does not exist" in again.stderr

    token = bao.ok("read", "-wrap-ttl=5m", "-field=wrapping_token", f"{kv2}/data/w").stdout.strip()
    assert bao.as_token(token).json("unwrap")["data"]["data"] == {"password": "hunter2"}


def test_permission_denied_is_exit_2(bao: Bao) -> None:
    token = bao.json("token", "create", "-policy=default", "-ttl=1h")["auth"]["client_token"]
    result = bao.as_token(token)("secrets", "list")
    assert result.code == 2
    assert "permission denied" in result.stderr
    assert "Code: 403" in result.stderr


def test_usage_errors_are_exit_1(bao: Bao) -> None:
    assert bao("secrets", "enable").code == 1
    assert bao("policy", "write").code == 1
    assert bao("token", "lookup", "a", "b").code == 1
    assert bao("read").code == 1


def test_kv_rollback(bao: Bao, kv2: str) -> None:
    bao.ok("kv", "put", f"{kv2}/rb", "a=1")
    bao.ok("kv", "put", f"{kv2}/rb", "a=2")
    assert bao.json("kv", "rollback", "-version=1", f"{kv2}/rb")["data"]["version"] == 3
    assert bao.json("kv", "get", f"{kv2}/rb")["data"]["data"] == {"a": "1"}


def test_approle_through_the_cli(bao: Bao, unique: Callable[[str], str]) -> None:
    path = unique("bapprole")
    bao.ok("auth", "enable", f"-path={path}", "approle")
    bao.ok("write", f"auth/{path}/role/app", "token_policies=default", "secret_id_num_uses=1", "token_ttl=20m")
    role_id = bao.ok("read", "-field=role_id", f"auth/{path}/role/app/role-id").stdout.strip()
    secret = bao.json("write", "-f", f"auth/{path}/role/app/secret-id")["data"]
    assert secret["secret_id_num_uses"] == 1
    login = bao.as_token(None).json("write", f"auth/{path}/login", f"role_id={role_id}",
                                    f"secret_id={secret['secret_id']}")
    assert login["auth"]["lease_duration"] == 1200
    assert login["auth"]["metadata"] == {"role_name": "app"}
    again = bao.as_token(None)("write", f"auth/{path}/login", f"role_id={role_id}", f"secret_id={secret['secret_id']}")
    assert again.code == 2
    assert "invalid role or secret ID" in again.stderr
    assert bao.json("list", f"auth/{path}/role") == ["app"]
    bao.ok("auth", "disable", path)


def test_token_revoke_self_and_accessor(bao: Bao) -> None:
    first = bao.json("token", "create", "-ttl=1h")["auth"]
    bao.ok("token", "revoke", "-accessor", first["accessor"])
    assert bao("token", "lookup", first["client_token"]).code == 2
    second = bao.json("token", "create", "-ttl=1h")["auth"]["client_token"]
    assert "Success! Revoked token" in bao.as_token(second).ok("token", "revoke", "-self").stdout
    assert bao("token", "lookup", second).code == 2


def test_operator_seal_unseal_key_status_rotate(fresh_server: ServerProcess, tmp_path: Path) -> None:
    home = tmp_path / "home-op"
    home.mkdir()
    bao = Bao(fresh_server, home, fresh_server.root_token)
    term = bao.json("operator", "key-status")["term"]
    assert "Success! Rotated key" in bao.ok("operator", "rotate").stdout
    assert bao.json("operator", "key-status")["term"] == term + 1

    assert "Success! Vault is sealed." in bao.ok("operator", "seal").stdout
    sealed = bao("status")
    assert sealed.code == 2, "bao status exits 2 while sealed"
    assert "Sealed" in sealed.stdout and "true" in sealed.stdout
    assert bao("kv", "get", "secret/x").code == 2
    unsealed = bao.json("operator", "unseal", unseal_key(fresh_server))
    assert unsealed["sealed"] is False
    assert bao.ok("status").code == 0
