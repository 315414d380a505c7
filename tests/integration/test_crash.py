"""Crash safety: every write the server acknowledged survives SIGKILL, restart and unseal."""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import httpx

from serverproc import ServerProcess, free_port, start

ROUNDS = 4


def _config(tmp: Path, port: int) -> Path:
    config = tmp / "server.hcl"
    config.write_text(
        f'storage "sqlite" {{\n  path = "{tmp / "data.db"}"\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n}}\n'
    )
    return config


def _unseal(proc: ServerProcess, keys: list[str]) -> None:
    for key in keys[:2]:
        httpx.put(proc.url("sys/unseal"), json={"key": key}, timeout=30).raise_for_status()
    assert httpx.get(proc.url("sys/seal-status"), timeout=30).json()["sealed"] is False


def _writer(proc: ServerProcess, token: str, acked: dict[str, str], stop: threading.Event, prefix: str) -> None:
    with httpx.Client(base_url=f"{proc.addr}/v1/", headers={"X-Vault-Token": token}, timeout=5) as client:
        n = 0
        while not stop.is_set():
            key, value = f"{prefix}-{n}", f"value-{prefix}-{n}-{random.random()}"
            try:
                response = client.post(f"kv/{key}", json={"v": value})
            except httpx.HTTPError:
                return  # the server died mid-request: this write was never acknowledged
            if response.status_code == 204:
                acked[key] = value
            n += 1


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    port = free_port()
    config = _config(tmp_path, port)
    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    init = httpx.put(proc.url("sys/init"), json={"secret_shares": 3, "secret_threshold": 2}, timeout=30).json()
    keys, token = init["keys"], init["root_token"]
    _unseal(proc, keys)
    assert httpx.post(proc.url("sys/mounts/kv"), json={"type": "kv"}, headers={"X-Vault-Token": token},
                      timeout=30).status_code == 204
    acked: dict[str, str] = {}
    for round_number in range(ROUNDS):
        stop = threading.Event()
        writers = [threading.Thread(target=_writer, args=(proc, token, acked, stop, f"r{round_number}w{i}"))
                   for i in range(3)]
        for writer in writers:
            writer.start()
        time.sleep(random.uniform(0.5, 1.2))
        proc.stop(signal.SIGKILL)
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
        proc = start(tmp_path, "--config", str(config), dev=False, port=port)
        assert httpx.get(proc.url("sys/seal-status"), timeout=30).json()["sealed"] is True
        _unseal(proc, keys)
    assert len(acked) > 20, "the writers made too little progress to test anything"
    with httpx.Client(base_url=f"{proc.addr}/v1/", headers={"X-Vault-Token": token}, timeout=30) as client:
        for key, value in acked.items():
            response = client.get(f"kv/{key}")
            assert response.status_code == 200, f"acknowledged write {key} is missing"
            assert response.json()["data"] == {"v": value}
    proc.stop()
