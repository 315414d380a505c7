"""A real `strongroom server -dev` process with two test-only plug-ins, for CLI tests that need them.

- `leasing` (secrets engine): tests/corefixture's LeasingEngine, which hands out renewable leased secrets. No
  engine in the stock catalogue issues dynamic secrets yet, so this is the lease source for `strongroom lease`.
- `github` (auth method): the production github method, with an outbound policy that also allows plain http to
  loopback, so that it can call the GitHub API stand-in of tests/auth_github (GitHub itself cannot run here;
  a production mount speaks https only).

Everything else is the stock server: `python plugin_server.py server -dev ...` patches the two catalogues of
strongroom.server.main and runs the `strongroom` entry point. `start_plugin_server(folder)` starts it on a free
port and waits until it serves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: corefixture, serverproc

from serverproc import ServerProcess, free_port, wait_ready  # noqa: E402


def start_plugin_server(folder: Path, root_token: str = "root") -> ServerProcess:
    port = free_port()
    log_path = folder / f"plugin-server-{port}.log"
    command = [sys.executable, str(Path(__file__).resolve()), "server", "-dev",
               f"-dev-listen-address=127.0.0.1:{port}", f"-dev-root-token-id={root_token}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRONGROOM_", "VAULT_", "BAO_"))}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**env, "PYTHONUNBUFFERED": "1"})
    addr = f"http://127.0.0.1:{port}"
    wait_ready(addr, process, log_path)
    return ServerProcess(addr=addr, root_token=root_token, process=process, log_path=log_path)


def _run() -> int:
    import strongroom.server.main as server_main
    from corefixture import LeasingEngine
    from strongroom.auth.github import build
    from strongroom.auth.jwt.outbound import FetchPolicy
    from strongroom.cli.main import main
    from strongroom.sdk.framework import Backend, EngineEnv

    def github_over_loopback_http(env: EngineEnv) -> Backend:
        return build(env, FetchPolicy(allow_loopback=True, allow_http=True, timeout=5.0))

    server_main.ENGINE_CATALOG = {**server_main.ENGINE_CATALOG, "leasing": LeasingEngine().factory}
    server_main.AUTH_CATALOG = {**server_main.AUTH_CATALOG, "github": github_over_loopback_http}
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(_run())
