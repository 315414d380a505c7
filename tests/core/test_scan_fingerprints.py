"""sys/scan/fingerprints through the core: real KV mounts, sudo, and audit HMACs of the fingerprints."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from corefixture import CoreFixture
from strongroom.crypto.fingerprint import scan_fingerprint
from strongroom.sdk.errors import InvalidRequest, PermissionDenied

DB_PASSWORD = "db-pa55word-7c1d9e"
API_KEY = "api-key-2b8f4a6e0c"


def matches(cf: CoreFixture, *values: str, token: str | None = None) -> list[dict[str, object]]:
    fingerprints = [scan_fingerprint(v) for v in values]
    return cf.write("sys/scan/fingerprints", token=token, fingerprints=fingerprints).data["matches"]  # type: ignore[index,no-any-return]


def test_kv_v2_live_versions_and_kv_v1_are_matched(cf: CoreFixture) -> None:
    cf.write("sys/mounts/kv1", type="kv", options={"version": "1"})
    cf.write("secret/data/apps/db", data={"password": DB_PASSWORD})
    cf.write("secret/data/apps/db", data={"password": "rotated-once-3e9a"})
    cf.write("secret/data/apps/db", data={"password": DB_PASSWORD, "conn": {"api_key": API_KEY}})
    cf.write("secret/delete/apps/db", versions=[1])
    cf.write("kv1/legacy", api_key=API_KEY)
    f_db, f_api = scan_fingerprint(DB_PASSWORD), scan_fingerprint(API_KEY)
    assert matches(cf, DB_PASSWORD, API_KEY, "never-stored-anywhere") == [
        {"fingerprint": f_api, "mount": "kv1", "path": "legacy", "version": 0, "field": "api_key"},
        {"fingerprint": f_api, "mount": "secret", "path": "apps/db", "version": 3, "field": "conn.api_key"},
        {"fingerprint": f_db, "mount": "secret", "path": "apps/db", "version": 3, "field": "password"},
    ]
    cf.write("secret/destroy/apps/db", versions=[3])
    assert matches(cf, DB_PASSWORD, API_KEY) == [
        {"fingerprint": f_api, "mount": "kv1", "path": "legacy", "version": 0, "field": "api_key"},
    ]


def test_sudo_is_required_beyond_update(cf: CoreFixture) -> None:
    cf.write("secret/data/app", data={"password": DB_PASSWORD})
    cf.write("sys/policies/acl/scanner", policy='path "sys/scan/fingerprints" { capabilities = ["update"] }')
    token = cf.token(policies=["scanner"])
    with pytest.raises(PermissionDenied):
        matches(cf, DB_PASSWORD, token=token)
    cf.write("sys/policies/acl/scanner",
             policy='path "sys/scan/fingerprints" { capabilities = ["update", "sudo"] }')
    assert [m["path"] for m in matches(cf, DB_PASSWORD, token=token)] == ["app"]
    assert [m["path"] for m in matches(cf, DB_PASSWORD)] == ["app"]  # root


def test_a_bad_body_is_an_invalid_request(cf: CoreFixture) -> None:
    with pytest.raises(InvalidRequest, match="not a wire fingerprint"):
        cf.write("sys/scan/fingerprints", fingerprints=["too-short"])


def test_the_audit_log_carries_only_hmacs_of_the_fingerprints(cf: CoreFixture, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    cf.core.audit.enable("file", "file", {"file_path": str(log)}, "", declared=True)  # as from the config
    cf.write("secret/data/app", data={"password": DB_PASSWORD})
    fingerprint = scan_fingerprint(DB_PASSWORD)
    cf.write("sys/scan/fingerprints", fingerprints=[fingerprint])
    text = log.read_text()
    assert fingerprint not in text and DB_PASSWORD not in text
    hashed = cf.write("sys/audit-hash/file", input=fingerprint).data["hash"]  # type: ignore[index]
    entries = [orjson.loads(line) for line in text.splitlines()]
    scan = [e for e in entries if e["request"]["path"] == "sys/scan/fingerprints"]
    assert [e["type"] for e in scan] == ["request", "response"]
    assert all(e["request"]["data"] == {"fingerprints": [hashed]} for e in scan)
    assert scan[1]["response"]["data"]["matches"][0]["fingerprint"] == hashed
