"""The managed-secret check end to end: values kept by a running Strongroom server, committed to a real git
repository, found by `strongroom scan git --server`, and acted on with `--rotate`."""

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import GitRepo
from serverproc import ServerProcess
from strongroom.cli.main import main
from strongroom.client import ApiError, Client


def scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    code = main(["scan", *args, "-f", "json", "--no-progress"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else [], err


@pytest.fixture
def client(fresh_server: ServerProcess) -> Iterator[Client]:
    with Client(fresh_server.addr, fresh_server.root_token) as root:
        yield root


def _leak(repo: GitRepo, path: str, text: str) -> None:
    repo.write(path, text)
    repo.commit(f"add {path}")


def test_a_committed_kv_value_is_reported_with_its_path_and_rotated(
    capsys: pytest.CaptureFixture[str], fresh_server: ServerProcess, client: Client, repo: GitRepo,
) -> None:
    leaked, current = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    client.secrets.kv.put("apps/db", {"password": leaked, "user": "app"}, mount="secret")
    client.secrets.kv.put("apps/db", {"password": current, "user": "app"}, mount="secret")
    client.sys.enable_secrets("legacy", "kv", options={"version": "1"})
    legacy = secrets.token_urlsafe(24)
    client.secrets.kv.put("svc", {"api_password": legacy}, mount="legacy")
    _leak(repo, "config/settings.py", f'DB_PASSWORD = "{leaked}"\n')
    _leak(repo, "ops/env.sh", f'export API_PASSWORD="{legacy}"\n')

    server = ["--server", fresh_server.addr, "--token", fresh_server.root_token]
    code, report, err = scan(capsys, "git", str(repo.root), *server)
    assert code == 1, err
    managed = {f["file"]: f.get("managed") for f in report}
    assert managed == {"config/settings.py": "secret/apps/db (version 1)", "ops/env.sh": "legacy/svc"}
    assert "rotate" not in err and client.secrets.kv.get("apps/db", mount="secret").metadata["version"] == 2

    code, report, err = scan(capsys, "git", str(repo.root), *server, "--rotate")
    assert code == 1
    assert "rotate: secret/apps/db: version 3 written, marked compromised (leaked version 1)" in err
    assert "rotate: legacy/svc: KV version 1 keeps no versions" in err
    rotated = client.secrets.kv.get("apps/db", mount="secret")
    assert rotated.metadata["version"] == 3 and rotated.data == {"password": current, "user": "app"}
    custom = client.secrets.kv.metadata.get("apps/db", mount="secret").data["custom_metadata"]
    assert custom["strongroom-compromised"] == "true" and custom["strongroom-compromised-versions"] == "1"
    assert custom["strongroom-compromised-marker-version"] == "3"
    assert custom["strongroom-compromised-in"].startswith("config/settings.py:1 in commit ")
    assert leaked not in err and current not in err


def test_leaked_tokens_are_revoked_by_accessor(
    capsys: pytest.CaptureFixture[str], fresh_server: ServerProcess, client: Client, repo: GitRepo,
) -> None:
    token = client.token.create(policies=["default"]).auth
    assert token is not None
    _leak(repo, "deploy.sh", f"export STRONGROOM_TOKEN={token.client_token}\n")
    code, report, err = scan(capsys, "git", str(repo.root), "--server", fresh_server.addr,
                             "--token", fresh_server.root_token, "--rotate")
    assert code == 1 and [f["rule_id"] for f in report] == ["strongroom-token"]
    assert f"rotate: token accessor {token.accessor}: revoked" in err and token.client_token not in err
    with pytest.raises(ApiError):
        client.token.lookup(token.client_token)
    # Scanned again, the revoked token is reported as not revoked, with the server's reason.
    code, _report, err = scan(capsys, "git", str(repo.root), "--server", fresh_server.addr,
                              "--token", fresh_server.root_token, "--rotate")
    assert code == 1 and "rotate: token at deploy.sh:1 in commit " in err and "not revoked" in err
    assert token.client_token not in err


def test_the_check_needs_a_token_allowed_to_ask(
    capsys: pytest.CaptureFixture[str], fresh_server: ServerProcess, client: Client, repo: GitRepo,
    tmp_path: Path,
) -> None:
    client.sys.write_policy("asker", 'path "sys/scan/fingerprints" { capabilities = ["update"] }')
    weak = client.token.create(policies=["asker"]).auth
    assert weak is not None
    _leak(repo, "app.py", f'password = "{secrets.token_urlsafe(24)}"\n')
    code, _report, err = scan(capsys, "git", str(repo.root), "--server", fresh_server.addr,
                              "--token", weak.client_token)
    assert code == 2 and "managed-secret check failed" in err and "permission denied" in err
    code, _report, err = scan(capsys, "git", str(repo.root), "--rotate")
    assert code == 2 and "--rotate needs --server" in err


def test_leaked_exported_transit_key_is_rotated(
    capsys: pytest.CaptureFixture[str], fresh_server: ServerProcess, client: Client, repo: GitRepo,
) -> None:
    client.sys.enable_secrets("transit", "transit")
    client.write("transit/keys/payments", exportable=True)
    client.write("transit/keys/sealed")  # never exportable: never offered
    exported = client.read("transit/export/encryption-key/payments/1")
    assert exported is not None and exported.data is not None
    _leak(repo, "settings.py", f'ENCRYPTION_KEY = "{exported.data["keys"]["1"]}"\n')
    code, report, err = scan(capsys, "git", str(repo.root), "--server", fresh_server.addr,
                             "--token", fresh_server.root_token, "--rotate")
    assert code == 1 and [f.get("managed") for f in report] == ["transit/keys/payments (version 1)"]
    assert "rotate: transit/keys/payments: rotated to version 2 (leaked version 1)" in err
    key = client.read("transit/keys/payments")
    assert key is not None and key.data is not None and key.data["latest_version"] == 2
