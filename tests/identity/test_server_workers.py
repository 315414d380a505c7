"""Identity with several worker processes on one SQLite file: every worker follows identity writes made by
another (the barrier announces the external change; identity caches are dropped)."""

from __future__ import annotations

from pathlib import Path

import httpx

from serverproc import ServerProcess, start

ROUNDS = 12


def _fresh(proc: ServerProcess, method: str, path: str, token: str = "root", **kwargs: object) -> httpx.Response:
    """One request on a new connection, so the kernel may hand it to any worker."""
    with httpx.Client(base_url=f"{proc.addr}/v1/", headers={"X-Vault-Token": token}, timeout=30) as client:
        return client.request(method, path, **kwargs)  # type: ignore[arg-type]


def test_every_worker_follows_identity_changes(tmp_path: Path) -> None:
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={tmp_path / 'd.db'}", "-workers=2")
    try:
        assert _fresh(proc, "POST", "sys/auth/userpass", json={"type": "userpass"}).status_code == 204
        for _ in range(ROUNDS):  # every worker has seen the new mount (not what this test is about)
            _fresh(proc, "GET", "sys/auth")
        assert _fresh(proc, "POST", "auth/userpass/users/ann", json={"password": "pw"}).status_code == 204
        logins = [_fresh(proc, "POST", "auth/userpass/login/ann", token="", json={"password": "pw"}).json()["auth"]
                  for _ in range(ROUNDS)]
        assert len({a["entity_id"] for a in logins}) == 1  # one entity, whichever worker answered
        token, entity_id = logins[0]["client_token"], logins[0]["entity_id"]
        policy = 'path "secret/data/team" { capabilities = ["read"] }'
        assert _fresh(proc, "PUT", "sys/policies/acl/team", json={"policy": policy}).status_code == 204
        assert _fresh(proc, "POST", "secret/data/team", json={"data": {"k": "v"}}).status_code == 200
        for _ in range(ROUNDS):  # every worker caches the (empty) identity view
            assert _fresh(proc, "GET", "secret/data/team", token=token).status_code == 403
        group = {"name": "team", "policies": ["team"], "member_entity_ids": [entity_id]}
        assert _fresh(proc, "POST", "identity/group", json=group).status_code == 200
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "secret/data/team", token=token).status_code == 200
        assert _fresh(proc, "POST", "identity/group/name/team", json={"policies": []}).status_code == 204
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "secret/data/team", token=token).status_code == 403
        assert _fresh(proc, "POST", f"identity/entity/id/{entity_id}", json={"disabled": True}).status_code == 204
        for _ in range(ROUNDS):
            assert _fresh(proc, "GET", "auth/token/lookup-self", token=token).status_code == 403
    finally:
        proc.stop()
