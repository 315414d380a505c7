"""POST /v1/sys/scan/fingerprints over real HTTP with hvac: KV v2 versions (one soft-deleted, one destroyed) and
KV v1 are matched exactly, bad bodies are 400 in Vault's envelope, and update without sudo is 403."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import hvac
import hvac.exceptions
import pytest

from serverproc import ServerProcess, start
from strongroom.crypto.fingerprint import scan_fingerprint
from strongroom.scanner.managed import ManagedMatch, ServerLookup, connect, wire_fingerprint

ENDPOINT = "/v1/sys/scan/fingerprints"
V1, V2, V3, V4 = "first-9d2c0a71", "second-5be81f3c", "third-04a6c9e2", "fourth-e71b3d58"
LEGACY = "legacy-kv1-ac35f0d9"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = start(tmp_path_factory.mktemp("scan-fingerprints"))
    client = hvac.Client(url=proc.addr, token=proc.root_token, timeout=30)
    for value in (V1, V2, V3, {"nested": {"token": V4}, "again": V2}):
        data = value if isinstance(value, dict) else {"password": value}
        client.secrets.kv.v2.create_or_update_secret("apps/db", secret=data, mount_point="secret")
    client.secrets.kv.v2.delete_secret_versions("apps/db", versions=[1], mount_point="secret")
    client.secrets.kv.v2.destroy_secret_versions("apps/db", versions=[3], mount_point="secret")
    client.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    client.secrets.kv.v1.create_or_update_secret("legacy/app", secret={"password": f" {LEGACY}\n"},
                                                 mount_point="kv1")
    yield proc
    proc.stop()


def post(srv: ServerProcess, body: object, token: str | None = None) -> httpx.Response:
    with httpx.Client(timeout=30) as client:
        return client.post(f"{srv.addr}{ENDPOINT}", json=body,
                           headers={"X-Vault-Token": srv.root_token if token is None else token})


def test_live_versions_and_kv1_are_matched_exactly(srv: ServerProcess) -> None:
    f1, f2, f3, f4, fl = (scan_fingerprint(v) for v in (V1, V2, V3, V4, LEGACY))
    client = hvac.Client(url=srv.addr, token=srv.root_token, timeout=30)
    body = client.adapter.post(ENDPOINT, json={"fingerprints": [f1, f2, f3, f4, fl, scan_fingerprint("unknown-1")]})
    assert body["data"] == {"matches": [
        {"fingerprint": fl, "mount": "kv1", "path": "legacy/app", "version": 0, "field": "password"},
        {"fingerprint": f2, "mount": "secret", "path": "apps/db", "version": 2, "field": "password"},
        {"fingerprint": f2, "mount": "secret", "path": "apps/db", "version": 4, "field": "again"},
        {"fingerprint": f4, "mount": "secret", "path": "apps/db", "version": 4, "field": "nested.token"},
    ]}
    assert not [value for value in (V1, V2, V3, V4, LEGACY) if value in str(body)]


def test_the_scanner_reads_the_answer(srv: ServerProcess) -> None:
    """The scanner's own fingerprint and parser agree with the server (the contract, end to end)."""
    fingerprint = wire_fingerprint(V4)
    assert fingerprint == scan_fingerprint(V4)
    assert ServerLookup(connect(srv.addr, srv.root_token)).lookup([fingerprint]) == [
        ManagedMatch(fingerprint, "secret", "apps/db", 4, "nested.token"),
    ]


@pytest.mark.parametrize(("body", "message"), [
    ({}, "missing required field 'fingerprints'"),
    ({"fingerprints": None}, "missing required field 'fingerprints'"),
    ({"fingerprints": scan_fingerprint(V2)}, "expected a list of strings"),
    ({"fingerprints": [scan_fingerprint(V2), 7]}, "fingerprints[1] is not a wire fingerprint"),
    ({"fingerprints": ["not-a-fingerprint"]}, "fingerprints[0] is not a wire fingerprint"),
    ({"fingerprints": [scan_fingerprint(V2)] * 1001}, "at most 1000 fingerprints per request"),
    ([scan_fingerprint(V2)], "JSON"),
])
def test_bad_bodies_are_400(srv: ServerProcess, body: object, message: str) -> None:
    response = post(srv, body)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"errors"}
    assert message in response.json()["errors"][0]


def test_update_without_sudo_is_403(srv: ServerProcess) -> None:
    client = hvac.Client(url=srv.addr, token=srv.root_token, timeout=30)
    client.sys.create_or_update_policy("scan-update", 'path "sys/scan/fingerprints" { capabilities = ["update"] }')
    client.sys.create_or_update_policy("scan-sudo",
                                       'path "sys/scan/fingerprints" { capabilities = ["update", "sudo"] }')
    plain = client.auth.token.create(policies=["scan-update"])["auth"]["client_token"]
    sudo = client.auth.token.create(policies=["scan-sudo"])["auth"]["client_token"]
    body = {"fingerprints": [scan_fingerprint(LEGACY)]}
    denied = post(srv, body, token=plain)
    assert denied.status_code == 403 and "permission denied" in denied.json()["errors"][0]
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(url=srv.addr, token=plain, timeout=30).adapter.post(ENDPOINT, json=body)
    assert [m["path"] for m in post(srv, body, token=sudo).json()["data"]["matches"]] == ["legacy/app"]
