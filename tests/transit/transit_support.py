"""Helpers for the transit integration tests: a CLI runner (bao, sops) against a live server."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serverproc import ServerProcess

BIN = Path(sys.executable).parent


@dataclass
class Cli:
    """Runs a CLI (bao or sops) against the server with the root token and a private HOME."""

    server: ServerProcess
    home: Path

    def env(self) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.home), "BAO_ADDR": self.server.addr, "VAULT_ADDR": self.server.addr,
                "BAO_TOKEN": self.server.root_token, "VAULT_TOKEN": self.server.root_token,
                "SOPS_DISABLE_VERSION_CHECK": "1"}

    def run(self, program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / program), *args], capture_output=True, text=True, env=self.env(),
                              timeout=60, cwd=cwd, check=False)

    def bao_json(self, *args: str) -> Any:
        result = self.run("bao", *args[:1], "-format=json", *args[1:])
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)



def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
