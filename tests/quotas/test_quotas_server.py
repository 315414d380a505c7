"""Rate-limit quotas against a real server: hvac for the API, raw HTTP for 429, Retry-After and the
X-Ratelimit-* headers, and one quota held across two worker processes on one SQLite file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import hvac
import pytest

from serverproc import ServerProcess, start


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    proc = start(tmp_path)
    yield proc
    proc.stop()


def _fresh(proc: ServerProcess, path: str) -> httpx.Response:
    """One request on a new connection, so that with several workers any of them may take it."""
    with httpx.Client(base_url=f"{proc.addr}/v1/", headers={"X-Vault-Token": proc.root_token}, timeout=30) as c:
        return c.get(path)


def test_hvac_quota_calls_and_the_429(own_server: ServerProcess) -> None:
    hv = hvac.Client(url=own_server.addr, token=own_server.root_token)
    hv.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    hv.secrets.kv.v1.create_or_update_secret("app/ttl", {"v": "1"}, mount_point="kv1")
    hv.sys.create_or_update_quota("kv-limit", rate=2, path="kv1/", interval="30s")
    assert hv.sys.read_quota("kv-limit")["data"]["rate"] == 2
    assert hv.sys.list_quotas()["data"]["keys"] == ["kv-limit"]
    with own_server.client() as client:
        assert [client.get("kv1/app/ttl").status_code for _ in range(2)] == [200, 200]
        refused = client.get("kv1/app/ttl")
        assert refused.status_code == 429
        assert refused.json() == {"errors": ['request path "kv1/app/ttl": rate limit quota exceeded']}
        assert 1 <= int(refused.headers["retry-after"]) <= 30
        assert "x-ratelimit-limit" not in refused.headers
        assert client.get("sys/mounts").status_code == 200  # other mounts are not limited
    hv.sys.delete_quota("kv-limit")
    with own_server.client() as client:
        assert client.get("kv1/app/ttl").status_code == 200


def test_headers_block_interval_and_exempt_paths(own_server: ServerProcess) -> None:
    with own_server.client() as client:
        client.post("sys/mounts/kv2", json={"type": "kv", "options": {"version": "1"}}).raise_for_status()
        client.post("kv2/a", json={"v": "1"}).raise_for_status()
        client.post("sys/quotas/config", json={"enable_rate_limit_response_headers": True,
                                               "rate_limit_exempt_paths": ["sys/quotas/*"]}).raise_for_status()
        client.post("sys/quotas/rate-limit/g", json={"path": "", "rate": 3, "interval": "1s",
                                                     "block_interval": "2s"}).raise_for_status()
        first = client.get("kv2/a")
        assert first.headers["x-ratelimit-limit"] == "3" and first.headers["x-ratelimit-remaining"] == "2"
        statuses = [client.get("kv2/a").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert client.get("sys/quotas/config").status_code == 200  # exempt
        time.sleep(1.2)  # the window is over, the block is not
        blocked = client.get("kv2/a")
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
        time.sleep(1.2)
        assert client.get("kv2/a").status_code == 200
        assert client.get("sys/health").status_code == 200  # exempt by default


def test_one_quota_holds_across_two_worker_processes(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=2")
    try:
        with proc.client() as client:
            client.post("secret/data/x", json={"data": {"v": 1}}).raise_for_status()
            client.post("sys/quotas/rate-limit/shared", json={"path": "secret/", "rate": 10,
                                                              "interval": "1m"}).raise_for_status()
        statuses = [_fresh(proc, "secret/data/x").status_code for _ in range(40)]
        assert statuses.count(200) == 10 and statuses.count(429) == 30
    finally:
        proc.stop()


@pytest.mark.skipif(shutil.which("bao") is None, reason="the bao CLI is not installed")
def test_bao_cli_writes_a_quota_and_meets_the_429(own_server: ServerProcess, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_"))}
    env.update(HOME=str(tmp_path), VAULT_ADDR=own_server.addr, VAULT_TOKEN=own_server.root_token, NO_COLOR="1")

    def bao(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bao", *args], env=env, capture_output=True, text=True, timeout=60, check=False)

    assert bao("secrets", "enable", "-path=kv3", "-version=1", "kv").returncode == 0
    assert bao("write", "kv3/a", "v=1").returncode == 0
    assert bao("write", "sys/quotas/rate-limit/cli", "path=kv3/", "rate=1", "interval=1m").returncode == 0
    assert '"rate": 1' in bao("read", "-format=json", "sys/quotas/rate-limit/cli").stdout
    assert bao("read", "kv3/a").returncode == 0
    refused = bao("read", "kv3/a")
    assert refused.returncode == 2 and "rate limit quota exceeded" in refused.stderr
    assert "Code: 429" in refused.stderr
