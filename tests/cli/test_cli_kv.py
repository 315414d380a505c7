"""`strongroom kv ...` and the generic read/write/list/delete commands."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import yaml

from strongroom.client import Client

from .conftest import Runner


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def test_kv2_put_get_patch_with_versions_and_cas(as_root: Runner) -> None:
    path = f"secret/{unique('app-')}"
    put = as_root("kv", "put", "-format=json", path, "user=alice", "pass=one")
    assert put.code == 0 and json.loads(put.out)["data"]["version"] == 1
    assert as_root("kv", "put", "-cas=0", path, "pass=x").code == 2  # cas 0: only if absent
    assert as_root("kv", "put", "-cas=1", path, "user=alice", "pass=two").code == 0
    assert as_root("kv", "patch", path, "pass=three").code == 0

    got = as_root("kv", "get", path)
    assert got.code == 0 and "=== Data ===" in got.out and "three" in got.out
    assert as_root("kv", "get", "-field=pass", path).out == "three\n"
    assert as_root("kv", "get", "-version=1", "-field=pass", path).out == "one\n"
    doc = json.loads(as_root("kv", "get", "-format=json", path).out)
    assert doc["data"]["data"] == {"user": "alice", "pass": "three"} and doc["data"]["metadata"]["version"] == 3
    assert yaml.safe_load(as_root("kv", "get", "-format=yaml", path).out)["data"]["data"]["user"] == "alice"
    assert as_root("kv", "get", "-field=nope", path).code == 1


def test_kv2_mount_flag_list_delete_undelete_destroy_metadata(as_root: Runner) -> None:
    name = unique("life-")
    for n in range(3):
        assert as_root("kv", "put", "-mount=secret", name, f"n={n}").code == 0
    listed = as_root("kv", "list", "-format=json", "secret/")
    assert name in json.loads(listed.out)
    assert as_root("kv", "delete", "-mount=secret", name).code == 0
    deleted = as_root("kv", "get", f"secret/{name}")
    assert deleted.code == 2 and "deletion_time" in deleted.out and "deleted or destroyed" in deleted.err
    assert as_root("kv", "undelete", "-versions=3", f"secret/{name}").code == 0
    assert as_root("kv", "get", "-field=n", f"secret/{name}").out == "2\n"
    assert as_root("kv", "destroy", "-versions=1,2", f"secret/{name}").code == 0
    assert as_root("kv", "destroy", f"secret/{name}").code == 1  # -versions is required
    assert as_root("kv", "delete", "-versions=x", f"secret/{name}").code == 1

    assert as_root("kv", "metadata", "put", "-max-versions=4", "-custom-metadata=owner=ops", f"secret/{name}").code == 0
    meta = as_root("kv", "metadata", "get", "-format=json", f"secret/{name}")
    data = json.loads(meta.out)["data"]
    assert data["max_versions"] == 4 and data["custom_metadata"] == {"owner": "ops"}
    assert data["versions"]["1"]["destroyed"] is True
    table = as_root("kv", "metadata", "get", f"secret/{name}").out
    assert "====== Version 3 ======" in table
    assert as_root("kv", "metadata", "delete", f"secret/{name}").code == 0
    assert as_root("kv", "get", f"secret/{name}").code == 2
    assert as_root("kv", "list", f"secret/{name}-nothing").code == 2


def test_kv1_round_trip_through_the_cli(as_root: Runner, root: Client) -> None:
    mount = unique("kv1-")
    assert as_root("secrets", "enable", f"-path={mount}", "-version=1", "kv").code == 0
    put = as_root("kv", "put", f"{mount}/app/db", "user=u", "pass=p")
    assert put.code == 0 and f"Success! Data written to: {mount}/app/db" in put.out
    got = as_root("kv", "get", "-format=json", f"{mount}/app/db")
    assert json.loads(got.out)["data"] == {"user": "u", "pass": "p"}
    assert "refresh_interval" in as_root("kv", "get", f"{mount}/app/db").out
    assert as_root("kv", "list", "-format=json", mount).out.strip() == '[\n  "app/"\n]'
    patch = as_root("kv", "patch", f"{mount}/app/db", "user=v")
    assert patch.code == 2 and "version 2" in patch.err
    assert as_root("kv", "delete", f"{mount}/app/db").code == 0
    assert as_root("kv", "get", f"{mount}/app/db").code == 2
    assert root.secrets.kv.get(f"{mount}/app/db") is None


def test_kv_put_reads_files_and_stdin(as_root: Runner, tmp_path: Path) -> None:
    path = f"secret/{unique('files-')}"
    (tmp_path / "cert.pem").write_text("-----BEGIN-----\nabc\n")
    assert as_root("kv", "put", path, f"cert=@{tmp_path / 'cert.pem'}", "pin=-", stdin="1234").code == 0
    assert as_root("kv", "get", "-field=cert", path).out == "-----BEGIN-----\nabc\n\n"
    assert as_root("kv", "get", "-field=pin", path).out == "1234\n"
    assert as_root("kv", "put", path, "-", stdin='{"nested": {"a": 1}}').code == 0
    assert json.loads(as_root("kv", "get", "-field=nested", path).out) == {"a": 1}


def test_kv_usage_errors_exit_1(as_root: Runner) -> None:
    assert as_root("kv", "put", "secret/x").code == 1  # no data
    assert as_root("kv", "put", "secret/x", "novalue").code == 1
    assert as_root("kv", "put", "secret/x", "a=@/nonexistent/file").code == 1
    assert as_root("kv", "put", "secret/x", "-", stdin="[1, 2]").code == 1
    assert as_root("kv", "get").code == 1
    assert as_root("kv", "get", "-version=abc", "secret/x").code == 1
    assert as_root("kv", "get", "-format=xml", "secret/x").code == 1
    assert as_root("kv").code == 1


def test_generic_read_write_list_delete(as_root: Runner) -> None:
    mount = unique("kv1-")
    assert as_root("secrets", "enable", f"-path={mount}", "kv").code == 0
    written = as_root("write", f"{mount}/cfg", "ttl=30m", "color=blue")
    assert written.code == 0 and "Success!" in written.out
    read = as_root("read", f"{mount}/cfg")
    assert "refresh_interval    30m" in read.out and "blue" in read.out
    assert as_root("read", "-field=color", f"{mount}/cfg").out == "blue\n"
    assert json.loads(as_root("list", "-format=json", mount).out) == ["cfg"]
    assert as_root("write", f"{mount}/empty").code == 1  # needs data or -force
    assert as_root("delete", f"{mount}/cfg").code == 0
    missing = as_root("read", f"{mount}/cfg")
    assert missing.code == 2 and "No value found" in missing.err
    assert as_root("list", f"{mount}/none").code == 2
    created = as_root("write", "-format=json", "auth/token/create", "-", stdin='{"policies": ["default"], "ttl": "5m"}')
    assert json.loads(created.out)["auth"]["lease_duration"] == 300
