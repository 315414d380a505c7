"""`strongroom login -method=jwt` (OpenBao and Strongroom) and `-method=github` (Strongroom; OpenBao ships no
github method) against real servers.

GitHub itself cannot run here (no network beyond package registries): the github method calls the stand-in for
GitHub's REST API from tests/auth_github, through the server of plugin_server.py, whose github mounts may use
plain http to loopback.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auth_github.conftest import FakeGitHub, team
from auth_github.conftest import github as github  # the stand-in's fixture
from serverproc import ServerProcess
from strongroom.client import Client
from strongroom.crypto.jose import SigningKey

from .conftest import DevServer, Result, Runner
from .plugin_server import start_plugin_server

ISSUER = "https://ci.example.test"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


# -- jwt ----------------------------------------------------------------------------------------------------


@pytest.fixture
def jwt_mount(root: Client) -> tuple[str, SigningKey]:
    key = SigningKey.generate("RS256", "ci-1")
    mount = unique("jwt-")
    root.sys.enable_auth(mount, "jwt")
    root.write(f"auth/{mount}/config", jwt_validation_pubkeys=[key.public_pem()], bound_issuer=ISSUER)
    root.write(f"auth/{mount}/role/ci", role_type="jwt", user_claim="sub", bound_audiences=["strongroom"],
               claim_mappings={"repo": "repo"}, token_policies=["ci-deploy"], token_ttl="20m")
    return mount, key


def signed(key: SigningKey, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "robot", "aud": "strongroom", "iat": now, "exp": now + 300, "repo": "acme/app",
              **changes}
    return key.sign(claims)


def lookup_self(cli: Runner, env: dict[str, str]) -> dict[str, Any]:
    result = cli("token", "lookup", "-format=json", env=env)
    assert result.code == 0, result.err
    return dict(json.loads(result.out)["data"])


def test_jwt_login_stores_a_token_with_the_roles_policies(
    cli: Runner, server: DevServer, jwt_mount: tuple[str, SigningKey], home: Path
) -> None:
    mount, key = jwt_mount
    env = {"STRONGROOM_ADDR": server.address}
    jwt = signed(key)
    result = cli("login", "-method=jwt", f"-path={mount}", "role=ci", f"jwt={jwt}", env=env)
    assert result.code == 0, result.err
    assert "Success! You are now authenticated" in result.out and jwt not in result.out
    info = lookup_self(cli, env)
    assert "ci-deploy" in info["policies"] and info["meta"]["repo"] == "acme/app"
    assert info["id"] == (home / ".strongroom-token").read_text()


def test_jwt_from_a_file_or_standard_input(
    cli: Runner, server: DevServer, jwt_mount: tuple[str, SigningKey], tmp_path: Path, home: Path
) -> None:
    mount, key = jwt_mount
    env = {"STRONGROOM_ADDR": server.address}
    token_file = tmp_path / "jwt"
    token_file.write_text(signed(key) + "\n")  # a projected token file ends with a newline, or not
    from_file = cli("login", "-method=jwt", f"-path={mount}", "-token-only", "role=ci", f"jwt=@{token_file}",
                    env=env)
    assert from_file.code == 0 and from_file.out.strip() == (home / ".strongroom-token").read_text()
    from_stdin = cli("login", "-method=jwt", f"-path={mount}", "-no-store", "-format=json", "role=ci", "jwt=-",
                     env=env, stdin=signed(key, sub="robot-2"))
    assert from_stdin.code == 0
    assert "ci-deploy" in json.loads(from_stdin.out)["auth"]["policies"]
    assert (home / ".strongroom-token").read_text() == from_file.out.strip()  # -no-store kept the old one


def test_jwt_login_errors(cli: Runner, server: DevServer, jwt_mount: tuple[str, SigningKey], home: Path) -> None:
    mount, key = jwt_mount
    env = {"STRONGROOM_ADDR": server.address}
    missing = cli("login", "-method=jwt", f"-path={mount}", "role=ci", env=env)
    assert missing.code == 1 and "jwt=@FILE" in missing.err
    expired = signed(key, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
    refused = cli("login", "-method=jwt", f"-path={mount}", "role=ci", f"jwt={expired}", env=env)
    assert refused.code == 2 and "expired" in refused.err and expired not in refused.err
    stranger = SigningKey.generate("RS256", "ci-1")
    assert cli("login", "-method=jwt", f"-path={mount}", "role=ci", f"jwt={signed(stranger)}", env=env).code == 2
    no_role = cli("login", "-method=jwt", f"-path={mount}", "role=nope", f"jwt={signed(key)}", env=env)
    assert no_role.code == 2 and "nope" in no_role.err
    assert not (home / ".strongroom-token").exists()


# -- github -------------------------------------------------------------------------------------------------

ALICE = "ghp_aliceCliToken0001"
ACME = 100


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_plugin_server(tmp_path_factory.mktemp("github-server"))
    yield proc
    proc.stop()


@pytest.fixture
def gh(plugins: ServerProcess, github: FakeGitHub, cli: Runner) -> tuple[str, Runner]:
    github.orgs = {"acme": ACME, "other": 200}
    github.users[ALICE] = {"login": "alice", "orgs": [{"login": "acme", "id": ACME}],
                           "teams": [team("Ops", "ops", ACME), team("Web", "web", 200)]}
    github.users["ghp_bob"] = {"login": "bob", "orgs": [{"login": "other", "id": 200}], "teams": []}
    mount = unique("gh-")
    with Client(plugins.addr, plugins.root_token) as root:
        root.sys.enable_auth(mount, "github")
        root.write(f"auth/{mount}/config", organization="acme", base_url=github.base_url, token_ttl="30m")
        root.write(f"auth/{mount}/map/teams/ops", value="ops-pol")
        root.write(f"auth/{mount}/map/users/alice", value="alice-pol")

    def run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Result:
        return cli(*argv, env={"STRONGROOM_ADDR": plugins.addr, **(env or {})}, stdin=stdin)

    return mount, run


def test_github_login_maps_teams_and_user_to_policies(gh: tuple[str, Runner]) -> None:
    mount, run = gh
    result = run("login", "-method=github", f"-path={mount}", f"token={ALICE}")
    assert result.code == 0, result.err
    assert ALICE not in result.out and "token_meta_username    alice" in result.out
    info = lookup_self(run, {})
    assert {"ops-pol", "alice-pol"} <= set(info["policies"]) and info["meta"] == {"username": "alice", "org": "acme"}


@pytest.mark.parametrize("variable", ["STRONGROOM_AUTH_GITHUB_TOKEN", "VAULT_AUTH_GITHUB_TOKEN"])
def test_github_token_from_the_environment(gh: tuple[str, Runner], variable: str) -> None:
    mount, run = gh
    result = run("login", "-method=github", f"-path={mount}", "-format=json", env={variable: ALICE})
    assert result.code == 0, result.err
    assert "ops-pol" in json.loads(result.out)["auth"]["policies"]


def test_github_token_from_standard_input_and_mount_parameter(gh: tuple[str, Runner]) -> None:
    mount, run = gh
    result = run("login", "-method=github", "-token-only", f"mount={mount}", "token=-", stdin=ALICE + "\n")
    assert result.code == 0 and result.out.strip().startswith(("sr.", "hvs.", "s."))


def test_github_login_refusals(gh: tuple[str, Runner], home: Path) -> None:
    mount, run = gh
    outsider = run("login", "-method=github", f"-path={mount}", "token=ghp_bob")
    assert outsider.code == 2 and "user is not part of required org" in outsider.err
    unknown = run("login", "-method=github", f"-path={mount}", "token=ghp_nobody")
    assert unknown.code == 2 and "ghp_nobody" not in unknown.err
    empty = run("login", "-method=github", f"-path={mount}", "token=-", stdin="\n")
    assert empty.code == 1 and "STRONGROOM_AUTH_GITHUB_TOKEN" in empty.err
    assert not (home / ".strongroom-token").exists()
