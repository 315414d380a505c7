"""User lockout against a real server: hvac and the real `bao` CLI, a `user_lockout` block in the server
file, two worker processes on one SQLite file; spelling variants, one error for unknown / wrong / locked,
no tokens from failed logins, sys/locked-users and unlock."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import hvac
import pytest
from hvac.exceptions import InvalidRequest

from serverproc import ServerProcess, start

PASSWORD = "s3cret-pw"
VARIANTS = ["Alice", " alice", "alice\t", "\uff41\uff4c\uff49\uff43\uff45"]


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("lockout")
    config = tmp / "server.hcl"
    config.write_text('user_lockout "all" {\n  lockout_threshold = 4\n  lockout_duration = "10m"\n}\n')
    proc = start(tmp, "-config", str(config), "-dev-storage=sqlite", f"-dev-storage-path={tmp / 'd.db'}",
                 "-workers=2")
    yield proc
    proc.stop()


def _fresh_login(proc: ServerProcess, mount: str, name: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=f"{proc.addr}/v1/", timeout=30) as client:  # a new connection: any worker
        return client.post(f"auth/{mount}/login/{quote(name, safe='')}", json={"password": password})


def _accessor_count(proc: ServerProcess) -> int:
    with proc.client() as client:
        return len(client.request("LIST", "auth/token/accessors").json()["data"]["keys"])


def _userpass(proc: ServerProcess, mount: str) -> str:
    hv = hvac.Client(url=proc.addr, token=proc.root_token)
    hv.sys.enable_auth_method("userpass", path=mount)
    hv.auth.userpass.create_or_update_user("alice", PASSWORD, mount_point=mount)
    return str(hv.sys.read_auth_method_tuning(mount)["data"]["user_lockout_config"]["lockout_threshold"])


def test_variants_share_the_counter_and_every_failure_looks_alike(locked_server: ServerProcess) -> None:
    assert _userpass(locked_server, "up1") == "4"  # from the server file
    unknown = _fresh_login(locked_server, "up1", "nobody", "wrong")
    wrong = _fresh_login(locked_server, "up1", "alice", "wrong")
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())
    assert wrong.status_code == 400 and wrong.json() == {"errors": ["invalid username or password"]}
    before = _accessor_count(locked_server)
    for variant in VARIANTS[:3]:  # with the failure above: 4, the threshold
        assert _fresh_login(locked_server, "up1", variant, "wrong").json() == wrong.json()
    for variant in ["alice", *VARIANTS]:
        locked = _fresh_login(locked_server, "up1", variant, PASSWORD)
        assert (locked.status_code, locked.json()) == (wrong.status_code, wrong.json())
    assert _accessor_count(locked_server) == before  # failed and locked logins minted nothing


def test_hvac_login_is_refused_while_locked_and_unlock_frees_it(locked_server: ServerProcess) -> None:
    _userpass(locked_server, "up2")
    hv = hvac.Client(url=locked_server.addr)
    for _ in range(4):
        with pytest.raises(InvalidRequest, match="invalid username or password"):
            hv.auth.userpass.login("ALICE", "wrong", mount_point="up2")
    with pytest.raises(InvalidRequest, match="invalid username or password"):
        hv.auth.userpass.login("alice", PASSWORD, mount_point="up2")
    with locked_server.client() as client:
        accessor = client.get("sys/auth/up2").json()["data"]["accessor"]
        listed = client.get("sys/locked-users", params={"mount_accessor": accessor}).json()["data"]
        assert listed["total"] == 1
        assert listed["by_namespace"][0]["mount_accessors"][0]["alias_identifiers"] == ["alice"]
        assert client.post(f"sys/locked-users/{accessor}/unlock/Alice").status_code == 204
    assert hv.auth.userpass.login("alice", PASSWORD, mount_point="up2")["auth"]["client_token"]


@pytest.mark.skipif(shutil.which("bao") is None, reason="the bao CLI is not installed")
def test_bao_cli_login_and_locked_users(locked_server: ServerProcess, tmp_path: Path) -> None:
    _userpass(locked_server, "up3")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(HOME=str(tmp_path), VAULT_ADDR=locked_server.addr, NO_COLOR="1")

    def bao(*args: str, token: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bao", *args], env={**env, "VAULT_TOKEN": token} if token else env,
                              capture_output=True, text=True, timeout=60, check=False)

    for name in ("alice", "Alice", "alice ", "alice"):
        failed = bao("login", "-no-store", "-method=userpass", "-path=up3", f"username={name}", "password=x")
        assert failed.returncode == 2 and "invalid username or password" in failed.stderr
    locked = bao("login", "-no-store", "-method=userpass", "-path=up3", "username=alice", f"password={PASSWORD}")
    assert locked.returncode == 2 and "invalid username or password" in locked.stderr
    listed = bao("read", "-format=json", "sys/locked-users", token=locked_server.root_token)
    assert listed.returncode == 0 and '"alice"' in listed.stdout


def test_hvac_approle_role_id_lockout(locked_server: ServerProcess) -> None:
    hv = hvac.Client(url=locked_server.addr, token=locked_server.root_token)
    hv.sys.enable_auth_method("approle", path="ar1")
    hv.auth.approle.create_or_update_approle("web", mount_point="ar1", secret_id_num_uses=5)
    role_id = hv.auth.approle.read_role_id("web", mount_point="ar1")["data"]["role_id"]
    secret_id = hv.auth.approle.generate_secret_id("web", mount_point="ar1")["data"]["secret_id"]
    anonymous = hvac.Client(url=locked_server.addr)
    for variant in (role_id, f" {role_id}", f"{role_id}\t", role_id):
        with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
            anonymous.auth.approle.login(variant, secret_id="wrong", mount_point="ar1")
    with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
        anonymous.auth.approle.login(role_id, secret_id=secret_id, mount_point="ar1")
    looked = hv.auth.approle.read_secret_id("web", secret_id, mount_point="ar1")["data"]
    assert looked["secret_id_num_uses"] == 5  # the refused login spent no use
