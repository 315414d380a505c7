"""Several worker processes on one listener and one SQLite file behave as one server."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from serverproc import ServerProcess, free_port, start

ROUNDS = 12


def _fresh(proc: ServerProcess, method: str, path: str, token: str = "root", **kwargs: object) -> httpx.Response:
    """One request on a new connection, so the kernel may hand it to any worker."""
    with httpx.Client(base_url=f"{proc.addr}/v1/", headers={"X-Vault-Token": token}, timeout=30) as client:
        return client.request(method, path, **kwargs)  # type: ignore[arg-type]


def test_writes_policies_mounts_and_revocations_are_seen_by_every_worker(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=2")
    try:
        for n in range(ROUNDS):
            assert _fresh(proc, "POST", "secret/data/shared", json={"data": {"n": n}}).status_code == 200
            assert _fresh(proc, "GET", "secret/data/shared").json()["data"]["data"] == {"n": n}
        policy = 'path "secret/data/shared" { capabilities = ["read"] }'
        assert _fresh(proc, "PUT", "sys/policies/acl/reader", json={"policy": policy}).status_code == 204
        token = _fresh(proc, "POST", "auth/token/create", json={"policies": ["reader"]}).json()["auth"]["client_token"]
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "secret/data/shared", token=token).status_code == 200
        assert _fresh(proc, "PUT", "sys/policies/acl/reader", json={"policy": 'path "x" { capabilities = ["read"] }'}
                      ).status_code == 204
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "secret/data/shared", token=token).status_code == 403
        assert _fresh(proc, "POST", "sys/mounts/kvw", json={"type": "kv"}).status_code == 204
        for n in range(ROUNDS):
            assert _fresh(proc, "POST", f"kvw/k{n}", json={"v": str(n)}).status_code == 204
        assert _fresh(proc, "POST", "auth/token/revoke", json={"token": token}).status_code == 204
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "auth/token/lookup-self", token=token).status_code == 403
    finally:
        proc.stop()


def test_unseal_progress_and_sealing_are_shared_by_every_worker(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "server.hcl"
    config.write_text(f'storage "sqlite" {{\n  path = "{tmp_path / "d.db"}"\n}}\n'
                      f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n}}\nworkers = 2\n')
    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    try:
        init = _fresh(proc, "PUT", "sys/init", json={"secret_shares": 3, "secret_threshold": 2}).json()
        proc.root_token = init["root_token"]
        for cycle in range(3):  # each answer comes only once every worker has followed the change
            first = _fresh(proc, "PUT", "sys/unseal", json={"key": init["keys"][cycle]}).json()
            assert first["sealed"] is True and first["progress"] == 1
            for _ in range(4):
                assert _fresh(proc, "GET", "sys/seal-status").json()["progress"] == 1
            second = init["keys"][(cycle + 1) % 3]
            assert _fresh(proc, "PUT", "sys/unseal", json={"key": second}).json()["sealed"] is False
            for _ in range(ROUNDS):
                assert _fresh(proc, "GET", "sys/seal-status").json()["sealed"] is False
                assert _fresh(proc, "GET", "sys/mounts", token=proc.root_token).status_code == 200
            assert _fresh(proc, "PUT", "sys/seal", token=proc.root_token).status_code == 204
            for _ in range(ROUNDS):
                assert _fresh(proc, "GET", "sys/seal-status").json()["sealed"] is True
                assert _fresh(proc, "GET", "sys/mounts", token=proc.root_token).status_code == 503
    finally:
        proc.stop()


def test_a_wrapping_token_unwraps_once_when_workers_race(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=4")
    try:
        for _ in range(ROUNDS * 2):
            wrapped = _fresh(proc, "POST", "sys/wrapping/wrap", json={"s": "once"}, headers={"X-Vault-Wrap-TTL": "60"})
            token = wrapped.json()["wrap_info"]["token"]
            codes = [r.status_code for r in _race(proc, "POST", "sys/wrapping/unwrap", [None] * 4, token)]
            assert codes.count(200) == 1, codes
            assert set(codes) <= {200, 400, 403}
    finally:
        proc.stop()


def _race(proc: ServerProcess, method: str, path: str, bodies: list[dict[str, object] | None],
          token: str = "root") -> list[httpx.Response]:
    """One request per body, each from its own thread, all released at once (so they land on different workers)."""
    replies: list[httpx.Response] = []
    together = threading.Barrier(len(bodies))

    def one(body: dict[str, object] | None) -> None:
        together.wait()
        replies.append(_fresh(proc, method, path, token=token, json=body))

    racers = [threading.Thread(target=one, args=(body,)) for body in bodies]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return replies


def test_single_uses_are_spent_once_when_workers_race(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=4")
    try:
        assert _fresh(proc, "POST", "sys/auth/approle", json={"type": "approle"}).status_code == 204
        assert _fresh(proc, "POST", "auth/approle/role/r", json={"secret_id_num_uses": 1}).status_code == 204
        role_id = _fresh(proc, "GET", "auth/approle/role/r/role-id").json()["data"]["role_id"]
        for _ in range(ROUNDS):
            token = _fresh(proc, "POST", "auth/token/create", json={"num_uses": 1, "policies": ["default"]}
                           ).json()["auth"]["client_token"]
            codes = [r.status_code for r in _race(proc, "GET", "auth/token/lookup-self", [None] * 4, token)]
            assert codes.count(200) == 1 and set(codes) <= {200, 403}, codes
            secret_id = _fresh(proc, "POST", "auth/approle/role/r/secret-id").json()["data"]["secret_id"]
            login = {"role_id": role_id, "secret_id": secret_id}
            codes = [r.status_code for r in _race(proc, "POST", "auth/approle/login", [login] * 4, "")]
            assert codes.count(200) == 1 and set(codes) <= {200, 400}, codes
    finally:
        proc.stop()


def test_a_kv_upgrade_on_one_worker_rebuilds_the_engine_in_every_worker(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=2")
    try:
        v1 = {"type": "kv", "options": {"version": "1"}}
        assert _fresh(proc, "POST", "sys/mounts/up", json=v1).status_code == 204
        for _ in range(ROUNDS):  # every worker has built the v1 engine
            assert _fresh(proc, "GET", "up/missing").status_code == 404
        assert _fresh(proc, "POST", "sys/mounts/up/tune", json={"options": {"version": "2"}}).status_code == 200
        for n in range(ROUNDS):
            assert _fresh(proc, "POST", "up/data/k", json={"data": {"n": n}}).json()["data"]["version"] == n + 1
    finally:
        proc.stop()


def test_kv_v2_writes_racing_in_workers_keep_every_version_and_check_and_set(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=4")
    try:
        for n in range(ROUNDS):
            path = f"secret/data/race{n}"
            replies = _race(proc, "POST", path, [{"data": {"w": w}} for w in range(4)])
            versions = sorted(r.json()["data"]["version"] for r in replies if r.status_code == 200)
            assert versions == [1, 2, 3, 4], [r.text for r in replies]
            # Each acknowledged write is its own version: none was overwritten by a racing sibling.
            stored = [_fresh(proc, "GET", f"{path}?version={v}").json()["data"]["data"]["w"] for v in versions]
            assert sorted(stored) == [0, 1, 2, 3]
            cas = _race(proc, "POST", path, [{"data": {"c": w}, "options": {"cas": 4}} for w in range(4)])
            assert sorted(r.status_code for r in cas) == [200, 400, 400, 400], [r.text for r in cas]
    finally:
        proc.stop()
