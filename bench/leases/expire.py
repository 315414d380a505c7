#!/usr/bin/env python3
"""How long a server's expiration manager takes to revoke many expired leases.

Creates COUNT short-lived service tokens (each is a lease, `auth/token/create/...`) through the v1 API, lets
them expire, and polls `LIST sys/leases/lookup/auth/token/create/` until none is left. Runs unchanged against
Strongroom and OpenBao (standard library only).

    VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=root python bench/leases/expire.py --count 10000 --ttl 30

Prints one line: label, leases created, creation rate, seconds from the last expiry until all were revoked
(`drain_s`), and from the first expiry (`since_first_s`). With --burst every lease falls due in the same second,
so `drain_s` is the time to revoke COUNT leases that expired together.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

PREFIX = "auth/token/create/"


class Client:
    def __init__(self, addr: str, token: str) -> None:
        url = urllib.parse.urlsplit(addr)
        self.host, self.port, self.token = url.hostname or "127.0.0.1", url.port or 80, token
        self._local = threading.local()

    def call(self, method: str, path: str, body: dict[str, object] | None = None) -> tuple[int, dict[str, object]]:
        data = None if body is None else json.dumps(body)
        for attempt in (1, 2):
            conn = getattr(self._local, "conn", None)
            if conn is None:
                conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                conn.request(method, "/v1/" + path, body=data,
                             headers={"X-Vault-Token": self.token, "Content-Type": "application/json"})
                response = conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection (uvicorn after 5 s): reconnect once.
                conn.close()
                self._local.conn = None
                if attempt == 2:
                    raise
                continue
            return response.status, (json.loads(raw) if raw.strip() else {})
        raise AssertionError("unreachable")


def count(client: Client) -> int:
    status, payload = client.call("LIST", "sys/leases/lookup/" + PREFIX)
    if status == 404:
        return 0
    if status != 200:
        raise SystemExit(f"LIST sys/leases/lookup/{PREFIX} -> HTTP {status}: {payload}")
    data = payload.get("data") or {}
    assert isinstance(data, dict)
    return len(data.get("keys") or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--ttl", type=int, default=30, help="token TTL in seconds")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--label", default="server")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--burst", action="store_true",
                        help="every lease expires at the same second (start + TTL): each token asks for the TTL "
                             "left until then, so the whole batch falls due at once")
    args = parser.parse_args()
    client = Client(os.environ["VAULT_ADDR"], os.environ["VAULT_TOKEN"])
    before = count(client)
    body = {"ttl": f"{args.ttl}s", "policies": ["default"], "display_name": "expiry-bench"}

    started = time.time()

    def create(_: int) -> int:
        if not args.burst:
            return client.call("POST", "auth/token/create", body)[0]
        left = math.ceil(started + args.ttl - time.time())
        if left < 2:
            raise SystemExit("--ttl is too short for creating --count tokens before the common expiry")
        return client.call("POST", "auth/token/create", {**body, "ttl": f"{left}s"})[0]

    with ThreadPoolExecutor(args.threads) as pool:
        statuses = list(pool.map(create, range(args.count)))
    created = time.time()
    failed = sum(1 for s in statuses if s != 200)
    first_expiry, last_expiry = started + args.ttl, (started if args.burst else created) + args.ttl
    present = count(client)
    print(f"# {args.label}: {args.count - failed} created in {created - started:.1f} s ({failed} failed), "
          f"{present} token leases listed (before: {before})", flush=True)
    while time.time() < last_expiry:
        time.sleep(0.5)
    deadline = last_expiry + args.timeout
    left = present
    while time.time() < deadline:
        left = count(client)
        if left <= before:
            break
        time.sleep(0.5)
    done = time.time()
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[0]
    print(f"{args.label} leases={args.count - failed} create_per_s={(args.count - failed) / (created - started):.0f} "
          f"drain_s={done - last_expiry:.1f} since_first_s={done - first_expiry:.1f} left={left - before} "
          f"load={load}", flush=True)


if __name__ == "__main__":
    main()
