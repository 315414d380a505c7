"""Start a real `strongroom server` process for integration tests, and stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    addr: str
    root_token: str
    process: subprocess.Popen[bytes]
    log_path: Path
    extra: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.addr}/v1/{path.lstrip('/')}"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"X-Vault-Token": token if token is not None else self.root_token}
        return httpx.Client(base_url=f"{self.addr}/v1/", headers=headers, timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_ready(addr: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float = 60) -> None:
    """Until the server says it started (every worker serving) and answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text(errors='replace')}")
        if "server started" not in log_path.read_text(errors="replace"):
            time.sleep(0.1)
            continue
        try:
            httpx.get(f"{addr}/v1/sys/seal-status", timeout=1, verify=False)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log_path.read_text(errors='replace')}")


def start(tmp: Path, *args: str, dev: bool = True, root_token: str = "root", scheme: str = "http",
          port: int | None = None) -> ServerProcess:
    port = port or free_port()
    log_path = tmp / f"server-{port}.log"
    command = [sys.executable, "-m", "strongroom.cli.main", "server", *args]
    if dev:
        command += ["-dev", f"-dev-listen-address=127.0.0.1:{port}", f"-dev-root-token-id={root_token}"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    addr = f"{scheme}://127.0.0.1:{port}"
    wait_ready(addr, process, log_path)
    return ServerProcess(addr=addr, root_token=root_token, process=process, log_path=log_path)
