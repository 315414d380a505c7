"""sys/leases against a real server through hvac, and lease expiry across a restart (SQLite storage).

The only leases a stock server hands out today are token leases (no dynamic-secret engine is in the catalogue
yet), so these tests lease tokens: a token's lease id is `auth/token/create/<token hash>`.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import hvac
import pytest
from hvac.exceptions import InvalidRequest

from serverproc import ServerProcess, free_port, start


def _token_lease_ids(client: httpx.Client) -> list[str]:
    response = client.request("LIST", "sys/leases/lookup/auth/token/create/")
    if response.status_code == 404:
        return []
    response.raise_for_status()
    return [f"auth/token/create/{key}" for key in response.json()["data"]["keys"]]


def test_hvac_lease_calls(server: ServerProcess) -> None:
    hv = hvac.Client(url=server.addr, token=server.root_token)
    with server.client() as client:
        before = set(_token_lease_ids(client))
        hv.auth.token.create(ttl="1h", policies=["default"])
        [lease_id] = set(_token_lease_ids(client)) - before
    lookup = hv.sys.read_lease(lease_id)
    assert lookup["data"]["id"] == lease_id and 3590 <= lookup["data"]["ttl"] <= 3600
    listed = hv.sys.list_leases("auth/token/create/")
    assert lease_id.rsplit("/", 1)[1] in listed["data"]["keys"]
    with pytest.raises(InvalidRequest, match="lease is not renewable"):
        hv.sys.renew_lease(lease_id)
    response = hv.sys.revoke_lease(lease_id)
    assert response.status_code == 204
    with pytest.raises(InvalidRequest, match="invalid lease"):
        hv.sys.read_lease(lease_id)
    assert hv.sys.revoke_lease("nosuch/lease/id").status_code == 204


def test_async_revoke_and_tidy_answer_202(server: ServerProcess) -> None:
    with server.client() as client:
        response = client.put("sys/leases/revoke", json={"lease_id": "nosuch/x", "sync": False})
        assert response.status_code == 202
        tidy = client.put("sys/leases/tidy")
        assert tidy.status_code == 202 and tidy.json()["warnings"]
        report = client.get("sys/leases", params={"type": "irrevocable"})
        assert report.status_code == 200 and report.json()["data"]["lease_count"] == 0


def _config(tmp: Path, port: int) -> Path:
    config = tmp / "server.hcl"
    config.write_text(
        f'storage "sqlite" {{\n  path = "{tmp / "data.db"}"\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n}}\n'
    )
    return config


def _unseal(proc: ServerProcess, key: str) -> None:
    httpx.put(proc.url("sys/unseal"), json={"key": key}, timeout=30).raise_for_status()


def test_a_lease_that_expires_while_the_server_is_down_is_revoked_after_restart(tmp_path: Path) -> None:
    port = free_port()
    config = _config(tmp_path, port)
    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    try:
        init = httpx.put(proc.url("sys/init"), json={"secret_shares": 1, "secret_threshold": 1}, timeout=30).json()
        key, root = init["keys"][0], init["root_token"]
        _unseal(proc, key)
        with proc.client(root) as client:
            short = client.post("auth/token/create", json={"ttl": "3s", "policies": ["default"]}).json()["auth"]
            long = client.post("auth/token/create", json={"ttl": "1h", "policies": ["default"]}).json()["auth"]
            assert len(_token_lease_ids(client)) == 2
        proc.stop()
        time.sleep(4)
        proc = start(tmp_path, "--config", str(config), dev=False, port=port)
        _unseal(proc, key)
        with proc.client(root) as client:
            deadline = time.monotonic() + 10
            while len(_token_lease_ids(client)) != 1 and time.monotonic() < deadline:
                time.sleep(0.2)
            [remaining] = _token_lease_ids(client)
            lookup = client.put("sys/leases/lookup", json={"lease_id": remaining}).json()["data"]
            assert lookup["ttl"] > 3000
            accessors = client.request("LIST", "auth/token/accessors").json()["data"]["keys"]
            assert long["accessor"] in accessors and short["accessor"] not in accessors
    finally:
        proc.stop()
