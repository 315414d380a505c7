"""`strongroom login`, `token ...` and `policy ...`."""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path

from strongroom.client import Client

from .conftest import DevServer, Runner


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def token_file(home: Path) -> Path:
    return home / ".strongroom-token"


def test_login_with_a_token_writes_the_token_file_0600(cli: Runner, server: DevServer, home: Path) -> None:
    env = {"STRONGROOM_ADDR": server.address}
    result = cli("login", server.root_token, env=env)
    assert result.code == 0 and "Success! You are now authenticated" in result.out
    assert token_file(home).read_text() == server.root_token
    assert stat.S_IMODE(token_file(home).stat().st_mode) == 0o600
    # later commands use the stored token with no token variable set
    assert cli("token", "lookup", "-field=id", env=env).out.strip() == server.root_token


def test_login_reads_the_token_from_stdin_and_rejects_a_bad_one(cli: Runner, server: DevServer, home: Path) -> None:
    env = {"STRONGROOM_ADDR": server.address}
    assert cli("login", "-no-store", "-", env=env, stdin=server.root_token + "\n").code == 0
    assert not token_file(home).exists()
    bad = cli("login", "s.bogus", env=env)
    assert bad.code == 2 and "s.bogus" not in bad.err
    assert not token_file(home).exists()


def test_login_warns_when_a_token_variable_overrides_the_file(cli: Runner, server: DevServer) -> None:
    env = {"VAULT_ADDR": server.address, "BAO_TOKEN": "ignored"}
    result = cli("login", server.root_token, env=env)
    assert result.code == 0 and "takes\nprecedence" in result.err


def test_userpass_login(cli: Runner, root: Client, server: DevServer, home: Path) -> None:
    mount = unique("up-")
    root.sys.enable_auth(mount, "userpass")
    root.write(f"auth/{mount}/users/alice", password="s3cret", token_policies="default", token_ttl="1h")
    env = {"STRONGROOM_ADDR": server.address}
    result = cli("login", "-method=userpass", f"-path={mount}", "username=alice", "password=s3cret", env=env)
    assert result.code == 0 and "token_meta_username    alice" in result.out
    token = token_file(home).read_text()
    assert result.out.count(token) == 1  # login prints the token once, as Vault does
    info = json.loads(cli("token", "lookup", "-format=json", env=env).out)
    assert info["data"]["display_name"] == f"{mount}-alice"
    prompted = cli("login", "-method=userpass", f"-path={mount}", "username=alice", "password=wrong", env=env)
    assert prompted.code == 2 and "invalid username or password" in prompted.err
    assert cli("login", "-method=userpass", f"-path={mount}", env=env).code == 1  # username missing
    assert cli("login", "-method=kerberos", env=env).code == 1


def test_approle_login_token_only(cli: Runner, root: Client, server: DevServer, home: Path) -> None:
    mount = unique("ar-")
    root.sys.enable_auth(mount, "approle")
    root.write(f"auth/{mount}/role/app", token_policies="default", token_ttl="20m")
    role = root.read(f"auth/{mount}/role/app/role-id")
    sid = root.write(f"auth/{mount}/role/app/secret-id")
    assert role is not None and role.data is not None and sid is not None and sid.data is not None
    result = cli(
        "login", "-method=approle", f"-path={mount}", "-token-only",
        f"role_id={role.data['role_id']}", f"secret_id={sid.data['secret_id']}",
        env={"STRONGROOM_ADDR": server.address},
    )  # fmt: skip
    assert result.code == 0
    assert result.out.strip() == token_file(home).read_text()
    assert stat.S_IMODE(token_file(home).stat().st_mode) == 0o600
    assert cli("login", "-method=approle", env={"STRONGROOM_ADDR": server.address}).code == 1


def test_token_create_lookup_renew_revoke(as_root: Runner) -> None:
    created = as_root("token", "create", "-policy=default", "-ttl=1h", "-metadata=team=a", "-format=json")
    auth = json.loads(created.out)["auth"]
    token = auth["client_token"]
    assert auth["lease_duration"] == 3600 and auth["metadata"] == {"team": "a"}
    only_token = as_root("token", "create", "-policy=default", "-field=token").out.strip()
    assert as_root("token", "lookup", "-field=id", only_token).out.strip() == only_token
    table = as_root("token", "lookup", token)
    assert table.code == 0 and "meta" in table.out and "map[team:a]" in table.out
    by_accessor = as_root("token", "lookup", "-accessor", "-field=display_name", auth["accessor"])
    assert by_accessor.out.strip() == "token"
    renewed = as_root("token", "renew", "-increment=2h", "-format=json", token)
    assert json.loads(renewed.out)["auth"]["lease_duration"] == 7200
    assert as_root("token", "revoke", token).code == 0
    gone = as_root("token", "lookup", token)
    assert gone.code == 2 and "bad token" in gone.err
    assert as_root("token", "revoke").code == 1  # needs TOKEN or -self
    assert as_root("token", "create", "-use-limit=x").code == 1


def test_token_self_operations_and_capabilities(as_root: Runner, root: Client) -> None:
    policy = unique("reader-")
    root.sys.write_policy(policy, 'path "secret/data/team/*" { capabilities = ["read", "list"] }')
    child = root.token.create(policies=[policy], ttl="1h").auth
    assert child is not None
    caps = as_root("token", "capabilities", child.client_token, "secret/data/team/x")
    assert caps.code == 0 and caps.out.strip() == "list, read"
    assert json.loads(as_root("token", "capabilities", "-format=json", "secret/data/x").out) == ["root"]
    as_child = {"STRONGROOM_TOKEN": child.client_token}
    assert json.loads(as_root("token", "renew", "-format=json", env=as_child).out)["auth"]["renewable"] is True
    assert as_root("token", "revoke", "-self", env=as_child).code == 0
    assert as_root("token", "lookup", env=as_child).code == 2


def test_policy_write_read_list_delete(as_root: Runner, tmp_path: Path) -> None:
    name = unique("dev-")
    text = 'path "secret/data/dev/*" {\n  capabilities = ["read", "list"]\n}\n'
    (tmp_path / "dev.hcl").write_text(text)
    written = as_root("policy", "write", name, str(tmp_path / "dev.hcl"))
    assert written.code == 0 and f"Uploaded policy: {name}" in written.out
    assert as_root("policy", "read", name).out == text
    assert json.loads(as_root("policy", "read", "-format=json", name).out) == {"name": name, "policy": text}
    assert name in json.loads(as_root("policy", "list", "-format=json").out)
    assert name in as_root("policy", "list").out.splitlines()
    from_stdin = as_root("policy", "write", f"{name}-2", "-", stdin='{"path": {"a/*": {"capabilities": ["read"]}}}')
    assert from_stdin.code == 0
    bad = as_root("policy", "write", f"{name}-3", "-", stdin='path "x" { capabilities = ["bogus"] }')
    assert bad.code == 2 and "bogus" in bad.err
    assert as_root("policy", "write", name, str(tmp_path / "missing.hcl")).code == 1
    assert as_root("policy", "delete", name).code == 0
    assert as_root("policy", "read", name).code == 2


def test_policy_fmt(cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "p.hcl"
    source.write_text('# team policy\npath   "secret/*"  {\ncapabilities=["read","list"]\n}\n')
    assert cli("policy", "fmt", "-check", str(source)).code == 2
    assert cli("policy", "fmt", str(source)).code == 0
    assert source.read_text() == '# team policy\n\npath "secret/*" {\n  capabilities = ["read", "list"]\n}\n'
    assert cli("policy", "fmt", "-check", str(source)).code == 0
    broken = tmp_path / "broken.hcl"
    broken.write_text('path "x" { capabilities = ')
    assert cli("policy", "fmt", str(broken)).code == 1
    assert broken.read_text() == 'path "x" { capabilities = '
