"""Login timing: unknown user vs wrong password vs locked user (userpass), against a real dev server.

Each kind is sampled in random interleaved order over one keep-alive connection; the report gives per-kind
percentiles and the two-sample Kolmogorov-Smirnov statistic D between kinds (D near 0: the distributions
overlap; an attacker who can tell them apart needs D well above the noise of repeated runs). Lockout stays on
(threshold high) so failures are recorded exactly as in production.

    python bench/auth_timing/run.py --samples 300 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PASSWORD = "correct horse battery"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "strongroom.cli.main", "server", "-dev",
                                f"-dev-listen-address=127.0.0.1:{port}", "-dev-root-token-id=root"],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    addr = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{addr}/v1/sys/health", timeout=1)
            return process, addr
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _setup(client: httpx.Client, users: int) -> None:
    client.post("sys/auth/up", json={"type": "userpass"}).raise_for_status()
    client.post("sys/auth/up/tune", json={"user_lockout_config": {"lockout_threshold": 1_000_000}}).raise_for_status()
    for n in range(users):
        client.post(f"auth/up/users/user{n}", json={"password": PASSWORD}).raise_for_status()
    client.post("sys/auth/lk", json={"type": "userpass"}).raise_for_status()
    client.post("sys/auth/lk/tune", json={"user_lockout_config": {"lockout_threshold": 1,
                                                                  "lockout_duration": "24h"}}).raise_for_status()
    client.post("auth/lk/users/alice", json={"password": PASSWORD}).raise_for_status()
    client.post("auth/lk/login/alice", json={"password": "wrong"})  # locks alice


def _sample(client: httpx.Client, kind: str, users: int) -> float:
    n = random.randrange(users)  # noqa: S311 - sampling order, not a secret
    path, password = {"unknown": (f"auth/up/login/nobody{n}", "wrong"),
                      "wrong_password": (f"auth/up/login/user{n}", "wrong"),
                      "locked_right_password": ("auth/lk/login/alice", PASSWORD)}[kind]
    start = time.perf_counter()
    response = client.post(path, json={"password": password})
    elapsed = time.perf_counter() - start
    assert response.status_code == 400, response.text
    return elapsed * 1000


def _ks(a: list[float], b: list[float]) -> float:
    values = sorted(set(a) | set(b))
    sa, sb = sorted(a), sorted(b)
    best, i, j = 0.0, 0, 0
    for v in values:
        while i < len(sa) and sa[i] <= v:
            i += 1
        while j < len(sb) and sb[j] <= v:
            j += 1
        best = max(best, abs(i / len(sa) - j / len(sb)))
    return best


def _summary(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=20)
    return {"n": len(values), "median_ms": round(statistics.median(values), 3), "p5_ms": round(q[0], 3),
            "p95_ms": round(q[-1], 3), "mean_ms": round(statistics.fmean(values), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300, help="logins per kind")
    parser.add_argument("--users", type=int, default=20, help="existing users (and unknown names) sampled")
    parser.add_argument("--json", default="", help="also write the report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, addr = _start(Path(tmp))
        try:
            with httpx.Client(base_url=f"{addr}/v1/", headers={"X-Vault-Token": "root"}, timeout=60) as client:
                _setup(client, args.users)
            kinds = ["unknown", "wrong_password", "locked_right_password"]
            order = [k for k in kinds for _ in range(args.samples)]
            random.shuffle(order)
            times: dict[str, list[float]] = {k: [] for k in kinds}
            with httpx.Client(base_url=f"{addr}/v1/", timeout=60) as client:
                for kind in kinds:
                    _sample(client, kind, args.users)  # warm up
                for kind in order:
                    times[kind].append(_sample(client, kind, args.users))
        finally:
            process.terminate()
            process.wait(timeout=30)
    report = {"kinds": {k: _summary(v) for k, v in times.items()},
              "ks_unknown_vs_wrong": round(_ks(times["unknown"], times["wrong_password"]), 3),
              "ks_locked_vs_wrong": round(_ks(times["locked_right_password"], times["wrong_password"]), 3)}
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
