"""Helpers for the conformance suite: hvac clients, the dev unseal key, and a runner for the real `bao` CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hvac

from serverproc import ServerProcess

BAO = Path(sys.executable).parent / "bao"
GROUPS = frozenset({"kv", "secrets", "auth", "policy", "token", "operator", "audit"})


def hvac_client(server: ServerProcess, token: str | None = None) -> hvac.Client:
    return hvac.Client(url=server.addr, token=server.root_token if token is None else token, timeout=30)


def unseal_key(server: ServerProcess) -> str:
    match = re.search(r"Unseal Key: ([0-9a-f]+)", server.log())
    assert match is not None, server.log()
    return match.group(1)


@dataclass(frozen=True)
class BaoResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Bao:
    """Runs the real OpenBao CLI against a server, with HOME in a temporary directory."""

    server: ServerProcess
    home: Path
    token: str | None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "BAO_", "STRONGROOM_"))}
        env.update(HOME=str(self.home), VAULT_ADDR=self.server.addr, BAO_ADDR=self.server.addr,
                   NO_COLOR="1", VAULT_FORMAT="table")
        if self.token is not None:
            env["VAULT_TOKEN"] = self.token
        return env

    def __call__(self, *args: str, stdin: str | None = None) -> BaoResult:
        done = subprocess.run([str(BAO), *args], env=self.env(), input=stdin, capture_output=True, text=True,
                              timeout=60, check=False)
        return BaoResult(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str, stdin: str | None = None) -> BaoResult:
        result = self(*args, stdin=stdin)
        assert result.code == 0, f"bao {' '.join(args)} -> {result.code}\n{result.stdout}\n{result.stderr}"
        return result

    def json(self, *args: str) -> Any:
        return self.ok(*_with_json(args)).json()

    def as_token(self, token: str | None) -> Bao:
        return Bao(self.server, self.home, token)


def _with_json(args: tuple[str, ...]) -> tuple[str, ...]:
    """Insert -format=json after the subcommand words (flags must precede positional arguments)."""
    words = 0
    for arg in args:
        if arg.startswith("-") or "=" in arg or "/" in arg:
            break
        words += 1
    words = min(words, 2 if args and args[0] in GROUPS else 1)
    if args[:2] == ("kv", "metadata"):
        words = 3
    return (*args[:words], "-format=json", *args[words:])
