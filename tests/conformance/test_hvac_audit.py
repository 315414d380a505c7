"""hvac against audit: a declared file device logs a request and a response line per request, secrets as HMAC."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conformance_support import Bao, hvac_client
from hvac import exceptions

from serverproc import ServerProcess, start

SECRET = "hunter2-conformance-canary"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path]]:
    """A dev server with a config-declared file device and API-created devices allowed under <tmp>/api."""
    tmp_path = tmp_path_factory.mktemp("audited")
    (tmp_path / "api").mkdir()
    log = tmp_path / "audit.log"
    config = tmp_path / "audit.hcl"
    config.write_text(
        f'audit "file" "main" {{\n  options {{\n    file_path = "{log}"\n  }}\n}}\n'
        "unsafe_allow_api_audit_creation = true\n"
        f'allowed_audit_directories = ["{tmp_path / "api"}"]\n'
    )
    proc = start(tmp_path, "--config", str(config))
    yield proc, log
    proc.stop()


def entries(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for child in value.values():
            yield from leaves(child)
    elif isinstance(value, list):
        for child in value:
            yield from leaves(child)
    else:
        yield value


def test_declared_device_listed(audited: tuple[ServerProcess, Path]) -> None:
    server, log = audited
    devices = hvac_client(server).sys.list_enabled_audit_devices()
    assert devices["data"]["main/"]["type"] == "file"
    assert devices["data"]["main/"]["path"] == "main/"
    assert devices["data"]["main/"]["options"]["file_path"] == str(log)
    assert devices["main/"] == devices["data"]["main/"], "sys/audit duplicates data at the top level"


def test_request_and_response_lines_with_hmac(audited: tuple[ServerProcess, Path]) -> None:
    server, log = audited
    token = hvac_client(server).auth.token.create(policies=["root"], ttl="1h")["auth"]
    hv = hvac_client(server, token["client_token"])
    before = len(entries(log))
    hv.secrets.kv.v2.create_or_update_secret("aud", {"password": SECRET, "n": 5, "b": True})
    read = hv.secrets.kv.v2.read_secret("aud", raise_on_deleted_version=True)
    assert read["data"]["data"]["password"] == SECRET
    new = entries(log)[before:]

    assert [e["type"] for e in new] == ["request", "response", "request", "response"]
    text = log.read_text()
    for clear in (SECRET, token["client_token"], token["accessor"]):
        assert clear not in text
    write_request, write_response, read_request, read_response = new
    assert write_request["request"]["path"] == "secret/data/aud"
    assert write_request["request"]["operation"] in ("create", "update")
    assert read_request["request"]["operation"] == "read"
    assert write_response["request"]["id"] == write_request["request"]["id"]

    data = write_request["request"]["data"]["data"]
    assert data["password"].startswith("hmac-sha256:")
    assert (data["n"], data["b"]) == (5, True), "numbers and booleans stay clear"
    assert write_request["auth"]["client_token"].startswith("hmac-sha256:")
    assert write_request["request"]["client_token"].startswith("hmac-sha256:")
    assert read_response["response"]["data"]["data"]["password"] == data["password"]

    digest = hv.sys.calculate_hash("main", SECRET)
    assert digest["data"]["hash"] == data["password"], "sys/audit-hash agrees with the log"
    assert digest["hash"] == digest["data"]["hash"]
    assert write_request["auth"]["client_token"] == hv.sys.calculate_hash("main", token["client_token"])["data"]["hash"]
    assert write_request["auth"]["accessor"] == hv.sys.calculate_hash("main", token["accessor"])["data"]["hash"]
    hashed = [*leaves(write_request["request"]["data"]), *leaves(read_response["response"]["data"])]
    strings = [leaf for leaf in hashed if isinstance(leaf, str)]
    assert strings, hashed
    assert all(leaf.startswith("hmac-sha256:") for leaf in strings), "every string leaf is hashed, even empty ones"


def test_audit_hash_unknown_device(audited: tuple[ServerProcess, Path]) -> None:
    server, _ = audited
    with pytest.raises(exceptions.InvalidRequest):
        hvac_client(server).sys.calculate_hash("nope", "x")


def test_failed_requests_are_audited_with_error(audited: tuple[ServerProcess, Path]) -> None:
    server, log = audited
    limited = hvac_client(server).auth.token.create(policies=["default"], ttl="1h")["auth"]["client_token"]
    before = len(entries(log))
    with pytest.raises(exceptions.Forbidden):
        hvac_client(server, limited).secrets.kv.v2.read_secret("aud", raise_on_deleted_version=True)
    new = entries(log)[before:]
    assert new, "a denied request is still audited"
    assert any("permission denied" in e.get("error", "") for e in new)


def test_api_created_device_inside_allowed_directory(audited: tuple[ServerProcess, Path], tmp_path: Path) -> None:
    server, log = audited
    hv = hvac_client(server)
    api_log = log.parent / "api" / "second.log"
    response = hv.sys.enable_audit_device("file", path="second", options={"file_path": str(api_log)})
    assert response.status_code == 204
    assert "second/" in hv.sys.list_enabled_audit_devices()["data"]
    hv.secrets.kv.v2.create_or_update_secret("second", {"password": SECRET})
    assert api_log.exists()
    assert SECRET not in api_log.read_text()
    assert hv.sys.calculate_hash("second", SECRET)["data"]["hash"] in api_log.read_text()
    assert hv.sys.calculate_hash("second", SECRET)["data"]["hash"] != hv.sys.calculate_hash("main", SECRET)[
        "data"]["hash"], "each device has its own salt"

    with pytest.raises(exceptions.InvalidRequest):
        hv.sys.enable_audit_device("file", path="outside", options={"file_path": str(tmp_path / "outside.log")})
    escape = log.parent / "api" / "escape"
    escape.symlink_to(tmp_path, target_is_directory=True)
    for sneaky in (f"{log.parent / 'api'}/../outside.log", str(escape / "outside.log"), "relative.log"):
        with pytest.raises(exceptions.InvalidRequest):
            hv.sys.enable_audit_device("file", path="sneaky", options={"file_path": sneaky})
    assert not (tmp_path / "outside.log").exists() and not (log.parent / "outside.log").exists()
    assert hv.sys.disable_audit_device("second").status_code == 204
    assert "second/" not in hv.sys.list_enabled_audit_devices()["data"]


def test_api_audit_creation_refused_by_default(fresh_server: ServerProcess, tmp_path: Path) -> None:
    with pytest.raises(exceptions.InvalidRequest) as err:
        hvac_client(fresh_server).sys.enable_audit_device("file", options={"file_path": str(tmp_path / "a.log")})
    assert err.value.errors == [
        "cannot enable audit device via API; use declarative, config-based audit device management instead"]


def test_bao_audit_list(audited: tuple[ServerProcess, Path], tmp_path: Path) -> None:
    server, log = audited
    bao = Bao(server, tmp_path, server.root_token)
    devices = bao.json("audit", "list")
    assert devices["main/"]["type"] == "file"
    assert devices["main/"]["options"]["file_path"] == str(log)
    assert "main/" in bao.ok("audit", "list").stdout


def test_fail_closed_when_no_device_can_write(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    config = tmp_path / "audit.hcl"
    config.write_text(f'audit "file" "main" {{\n  options {{\n    file_path = "{logs / "audit.log"}"\n  }}\n}}\n')
    proc = start(tmp_path, "--config", str(config))
    try:
        hv = hvac_client(proc)
        hv.secrets.kv.v2.create_or_update_secret("kept", {"password": SECRET})
        (logs / "audit.log").unlink()
        logs.rmdir()
        logs.write_text("")  # the device's directory is now a regular file: every write fails, also for root
        with proc.client() as client:
            read = client.get("secret/data/kept")
            assert read.status_code == 500 and SECRET not in read.text
            assert read.json() == {"errors": ["internal error: audit log unavailable"]}
            assert client.post("secret/data/refused", json={"data": {"a": "b"}}).status_code == 500
            assert client.post("auth/token/create", json={}).status_code == 500
        logs.unlink()
        logs.mkdir()
        with pytest.raises(exceptions.InvalidPath):
            hv.secrets.kv.v2.read_secret("refused", raise_on_deleted_version=True)  # the refused write never ran
        assert hv.secrets.kv.v2.read_secret("kept", raise_on_deleted_version=True)["data"]["data"] == {
            "password": SECRET}
        assert SECRET not in proc.log()
    finally:
        proc.stop()
