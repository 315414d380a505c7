"""`strongroom lease lookup|renew|revoke` and lease listing, against real servers.

Renewable dynamic leases come from a real Strongroom server process that also mounts the test `leasing`
engine (plugin_server.py: no stock engine issues dynamic secrets yet). Token leases, which every server hands
out, are checked against OpenBao and Strongroom alike.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from serverproc import ServerProcess
from strongroom.client import Client

from .conftest import DevServer, Result, Runner
from .plugin_server import start_plugin_server


@pytest.fixture(scope="module")
def leasing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start_plugin_server(tmp_path_factory.mktemp("lease-server"))
    try:
        with proc.client() as client:
            client.post("sys/mounts/db", json={"type": "leasing"}).raise_for_status()
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def sr(cli: Runner, leasing: ServerProcess) -> Runner:
    def run(*argv: str, env: dict[str, str] | None = None, stdin: str = "") -> Result:
        base = {"STRONGROOM_ADDR": leasing.addr, "STRONGROOM_TOKEN": leasing.root_token}
        return cli(*argv, env={**base, **(env or {})}, stdin=stdin)

    return run


def lease(sr: Runner, name: str, ttl: int = 60) -> str:
    result = sr("read", "-format=json", f"db/creds/{name}", f"ttl={ttl}")
    assert result.code == 0, result.err
    return str(json.loads(result.out)["lease_id"])


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def test_lookup_in_every_format(sr: Runner) -> None:
    lease_id = lease(sr, unique("u"), ttl=300)
    table = sr("lease", "lookup", lease_id)
    assert table.code == 0 and f"id              {lease_id}" in table.out and "renewable       true" in table.out
    data = json.loads(sr("lease", "lookup", "-format=json", lease_id).out)["data"]
    assert data["id"] == lease_id and data["renewable"] is True and 290 <= data["ttl"] <= 300
    assert data["last_renewal"] is None and data["path"] == lease_id.rsplit("/", 1)[0]
    assert sr("lease", "lookup", "-field=ttl", lease_id).out.strip().isdigit()
    assert "id: " + lease_id in sr("lease", "lookup", "-format=yaml", lease_id).out


def test_list_leases_by_prefix_one_level_at_a_time(sr: Runner) -> None:
    name = unique("carol")
    first, second = lease(sr, name), lease(sr, name)
    levels = sr("list", "-format=json", "sys/leases/lookup/db/creds/")
    assert levels.code == 0 and f"{name}/" in json.loads(levels.out)
    leaves = sr("list", f"sys/leases/lookup/db/creds/{name}")
    assert leaves.code == 0
    assert sorted(leaves.out.split()[2:]) == sorted(x.rsplit("/", 1)[1] for x in (first, second))
    nothing = sr("list", "sys/leases/lookup/db/creds/nobody-here/")
    assert nothing.code == 2 and "No value found" in nothing.err


def test_renew_with_an_increment_and_the_max_ttl_cap(sr: Runner) -> None:
    lease_id = lease(sr, unique("erin"), ttl=60)
    renewed = json.loads(sr("lease", "renew", "-increment=2m", "-format=json", lease_id).out)
    assert renewed["lease_id"] == lease_id and renewed["lease_duration"] == 120 and renewed["renewable"] is True
    table = sr("lease", "renew", "-increment=90", lease_id)
    assert table.code == 0 and "lease_duration     1m30s" in table.out and "lease_renewable    true" in table.out
    capped = sr("lease", "renew", "-increment=48h", lease_id)  # the leasing engine's max_ttl is 600s
    assert capped.code == 0 and "exceeded the effective max_ttl" in capped.err
    assert json.loads(sr("lease", "lookup", "-format=json", lease_id).out)["data"]["last_renewal"] is not None


def test_renew_and_lookup_errors_say_what_went_wrong(sr: Runner) -> None:
    unknown = sr("lease", "renew", "db/creds/nobody/xyz")
    assert unknown.code == 2 and "lease not found" in unknown.err
    gone = sr("lease", "lookup", "db/creds/nobody/xyz")
    assert gone.code == 2 and "invalid lease" in gone.err
    missing = sr("lease", "lookup")
    assert missing.code == 1 and "ID" in missing.err
    assert sr("lease", "renew", "  ").code == 1


def test_revoke_sync_and_queued(sr: Runner) -> None:
    now = lease(sr, unique("fay"))
    result = sr("lease", "revoke", "-sync", now)
    assert result.code == 0 and result.out.strip() == f"Success! Revoked lease: {now}"
    assert sr("lease", "lookup", now).code == 2
    queued = lease(sr, unique("gus"))
    result = sr("lease", "revoke", queued)
    assert result.code == 0 and result.out.strip() == "All revocation operations queued successfully!"
    deadline = time.monotonic() + 10  # the expiration manager's tick (once a second) does the work
    while sr("lease", "lookup", queued).code == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sr("lease", "lookup", queued).code == 2
    assert sr("lease", "revoke", "-sync", "db/creds/nobody/xyz").code == 0  # unknown ids are not an error


def test_revoke_by_prefix_and_force(sr: Runner) -> None:
    name = unique("hal")
    lease(sr, name)
    lease(sr, name)
    result = sr("lease", "revoke", "-sync", "-prefix", f"db/creds/{name}")
    assert result.code == 0 and result.out.strip() == f"Success! Revoked any leases with prefix: db/creds/{name}"
    assert sr("list", f"sys/leases/lookup/db/creds/{name}/").code == 2
    other = unique("ida")
    lease(sr, other)
    refused = sr("lease", "revoke", "-force", f"db/creds/{other}")
    assert refused.code == 1 and "-force also needs -prefix" in refused.err
    forced = sr("lease", "revoke", "-f", "-prefix", f"db/creds/{other}")
    assert forced.code == 0 and "out of sync" in forced.err
    assert forced.out.strip() == f"Success! Force revoked any leases with prefix: db/creds/{other}"
    assert sr("list", f"sys/leases/lookup/db/creds/{other}/").code == 2


def test_listing_and_prefix_revocation_need_sudo(sr: Runner, leasing: ServerProcess) -> None:
    with leasing.client() as client:
        client.put("sys/policies/acl/lease-reader",
                   json={"policy": 'path "sys/leases/*" { capabilities = ["read", "update", "list"] }'})
        token = client.post("auth/token/create", json={"policies": ["lease-reader"]}).json()["auth"]["client_token"]
    lease_id = lease(sr, unique("jo"))
    as_reader = {"STRONGROOM_TOKEN": token}
    assert sr("lease", "lookup", lease_id, env=as_reader).code == 0
    denied = sr("list", "sys/leases/lookup/db/creds/", env=as_reader)
    assert denied.code == 2 and "permission denied" in denied.err and "strongroom login" in denied.err
    assert sr("lease", "revoke", "-prefix", "db/creds/", env=as_reader).code == 2


def test_help_shows_examples(sr: Runner) -> None:
    result = sr("lease", "revoke", "-h")
    assert result.code == 0 and "-prefix" in result.out and "strongroom lease revoke -force -prefix" in result.out
    assert "strongroom list sys/leases/lookup/" in sr("lease", "-h").out


# -- token leases, on OpenBao and Strongroom alike ------------------------------------------------------------


def _token_lease_ids(root: Client) -> set[str]:
    return {f"auth/token/create/{key}" for key in root.sys.leases.list("auth/token/create/")}


def test_token_leases_on_every_server(as_root: Runner, root: Client, server: DevServer, tmp_path: Path) -> None:
    before = _token_lease_ids(root)
    created = json.loads(as_root("token", "create", "-ttl=1h", "-policy=default", "-format=json").out)["auth"]
    [lease_id] = _token_lease_ids(root) - before
    listed = as_root("list", "sys/leases/lookup/auth/token/create/")
    assert listed.code == 0 and lease_id.rsplit("/", 1)[1] in listed.out
    data = json.loads(as_root("lease", "lookup", "-format=json", lease_id).out)["data"]
    assert data["id"] == lease_id and 3500 <= data["ttl"] <= 3600
    renewed = as_root("lease", "renew", lease_id)  # token leases renew through `token renew`, not here
    assert renewed.code == 2 and "Error" in renewed.err
    assert as_root("lease", "revoke", "-sync", lease_id).code == 0
    assert as_root("token", "lookup", created["client_token"]).code == 2
