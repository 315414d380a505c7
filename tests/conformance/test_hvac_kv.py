"""hvac against KV v2 (data, versions, cas, patch, delete/undelete/destroy, metadata, list, subkeys) and KV v1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import hvac
import pytest
from hvac import exceptions

from serverproc import ServerProcess


@pytest.fixture
def kv2(hv: hvac.Client, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("kv2")
    hv.sys.enable_secrets_engine("kv", path=mount, options={"version": "2"})
    yield mount
    hv.sys.disable_secrets_engine(mount)


@pytest.fixture
def kv1(hv: hvac.Client, unique: Callable[[str], str]) -> Iterator[str]:
    mount = unique("kv1")
    hv.sys.enable_secrets_engine("kv", path=mount, options={"version": "1"}, config={"default_lease_ttl": "2h"})
    yield mount
    hv.sys.disable_secrets_engine(mount)


VERSION_METADATA = {"custom_metadata", "created_time", "deletion_time", "destroyed", "version"}


def test_v2_create_read_versions(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    first = kv.create_or_update_secret("app", {"a": "1"}, mount_point=kv2)
    assert set(first["data"]) == VERSION_METADATA
    assert (first["data"]["version"], first["data"]["destroyed"], first["data"]["deletion_time"]) == (1, False, "")
    assert first["data"]["custom_metadata"] is None
    second = kv.create_or_update_secret("app", {"a": "2"}, mount_point=kv2)
    assert second["data"]["version"] == 2

    latest = kv.read_secret_version("app", mount_point=kv2, raise_on_deleted_version=True)
    assert latest["data"]["data"] == {"a": "2"}
    assert latest["data"]["metadata"]["version"] == 2
    assert set(latest["data"]["metadata"]) == VERSION_METADATA
    assert (latest["lease_id"], latest["renewable"], latest["lease_duration"]) == ("", False, 0)
    assert latest["wrap_info"] is None and latest["warnings"] is None and latest["auth"] is None
    old = kv.read_secret_version("app", version=1, mount_point=kv2, raise_on_deleted_version=True)
    assert old["data"]["data"] == {"a": "1"}
    with pytest.raises(exceptions.InvalidPath) as err:
        kv.read_secret_version("app", version=9, mount_point=kv2, raise_on_deleted_version=True)
    assert err.value.errors == []
    with pytest.raises(exceptions.InvalidPath) as err:
        kv.read_secret_version("missing", mount_point=kv2, raise_on_deleted_version=True)
    assert err.value.errors == []


def test_v2_body_must_wrap_data(hv: hvac.Client, kv2: str) -> None:
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post(f"/v1/{kv2}/data/bare", json={"a": "1"})
    assert err.value.errors == ["no data provided"]


def test_v2_check_and_set(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    assert kv.create_or_update_secret("c", {"v": "1"}, cas=0, mount_point=kv2)["data"]["version"] == 1
    with pytest.raises(exceptions.InvalidRequest) as err:
        kv.create_or_update_secret("c", {"v": "x"}, cas=0, mount_point=kv2)
    assert err.value.errors == ["check-and-set parameter did not match the current version"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        kv.create_or_update_secret("c", {"v": "x"}, cas=5, mount_point=kv2)
    assert err.value.errors == ["check-and-set parameter did not match the current version"]
    assert kv.create_or_update_secret("c", {"v": "2"}, cas=1, mount_point=kv2)["data"]["version"] == 2

    assert kv.configure(cas_required=True, mount_point=kv2).status_code == 204
    assert kv.read_configuration(mount_point=kv2)["data"]["cas_required"] is True
    with pytest.raises(exceptions.InvalidRequest) as err:
        kv.create_or_update_secret("c", {"v": "3"}, mount_point=kv2)
    assert err.value.errors == ["check-and-set parameter required for this call"]


def test_v2_configure_round_trip(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    assert kv.read_configuration(mount_point=kv2)["data"] == {
        "cas_required": False, "delete_version_after": "0s", "max_versions": 0}
    assert kv.configure(max_versions=5, delete_version_after="1h", mount_point=kv2).status_code == 204
    assert kv.read_configuration(mount_point=kv2)["data"] == {
        "cas_required": False, "delete_version_after": "1h0m0s", "max_versions": 5}


def test_v2_patch_helper_and_merge_patch(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    kv.create_or_update_secret("p", {"a": "1", "b": "2"}, mount_point=kv2)
    patched = kv.patch("p", {"c": "3"}, mount_point=kv2)
    assert patched["data"]["version"] == 2
    assert kv.read_secret_version("p", mount_point=kv2, raise_on_deleted_version=True)["data"]["data"] == {
        "a": "1", "b": "2", "c": "3"}

    response = hv.adapter.request("PATCH", f"/v1/{kv2}/data/p", json={"data": {"b": "x", "a": None}},
                                  headers={"Content-Type": "application/merge-patch+json"})
    assert response["data"]["version"] == 3
    assert kv.read_secret_version("p", mount_point=kv2, raise_on_deleted_version=True)["data"]["data"] == {
        "b": "x", "c": "3"}
    with pytest.raises(exceptions.InvalidPath):
        kv.patch("nothing-here", {"a": "1"}, mount_point=kv2)


def test_v2_patch_requires_merge_patch_content_type(hv: hvac.Client, kv2: str) -> None:
    hv.secrets.kv.v2.create_or_update_secret("ct", {"a": "1"}, mount_point=kv2)
    response = hv.adapter.request("PATCH", f"/v1/{kv2}/data/ct", json={"data": {"b": "2"}}, raise_exception=False)
    assert response.status_code == 415
    assert response.json()["errors"][0].startswith("PATCH requires Content-Type of application/merge-patch+json")


def test_v2_delete_undelete_destroy(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    for value in ("1", "2", "3"):
        kv.create_or_update_secret("d", {"v": value}, mount_point=kv2)

    assert kv.delete_latest_version_of_secret("d", mount_point=kv2).status_code == 204
    with pytest.raises(exceptions.InvalidPath) as err:
        kv.read_secret_version("d", mount_point=kv2, raise_on_deleted_version=True)
    body = err.value.json
    assert body is not None, "a deleted version answers 404 with a full envelope"
    assert body["data"]["data"] is None
    assert body["data"]["metadata"]["version"] == 3
    assert body["data"]["metadata"]["deletion_time"] != ""
    assert body["data"]["metadata"]["destroyed"] is False
    soft = kv.read_secret_version("d", mount_point=kv2, raise_on_deleted_version=False)
    assert soft["data"]["metadata"]["version"] == 3

    assert kv.delete_secret_versions("d", [1], mount_point=kv2).status_code == 204
    assert kv.undelete_secret_versions("d", [1, 3], mount_point=kv2).status_code == 204
    assert kv.read_secret_version("d", mount_point=kv2, raise_on_deleted_version=True)["data"]["data"] == {"v": "3"}
    assert kv.read_secret_version("d", version=1, mount_point=kv2,
                                  raise_on_deleted_version=True)["data"]["data"] == {"v": "1"}

    assert kv.destroy_secret_versions("d", [2], mount_point=kv2).status_code == 204
    with pytest.raises(exceptions.InvalidPath) as err:
        kv.read_secret_version("d", version=2, mount_point=kv2, raise_on_deleted_version=True)
    assert err.value.json is not None
    assert err.value.json["data"]["data"] is None
    assert err.value.json["data"]["metadata"]["destroyed"] is True
    assert err.value.json["data"]["metadata"]["deletion_time"] == ""

    versions = kv.read_secret_metadata("d", mount_point=kv2)["data"]["versions"]
    assert set(versions) == {"1", "2", "3"}
    assert versions["2"]["destroyed"] is True
    assert versions["1"]["deletion_time"] == "" and versions["3"]["deletion_time"] == ""


def test_v2_metadata_read_update_delete(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    kv.create_or_update_secret("m", {"a": "1"}, mount_point=kv2)
    kv.create_or_update_secret("m", {"a": "2"}, mount_point=kv2)
    meta = kv.read_secret_metadata("m", mount_point=kv2)["data"]
    assert {"cas_required", "created_time", "current_version", "custom_metadata", "delete_version_after",
            "max_versions", "oldest_version", "updated_time", "versions"} <= set(meta)
    assert (meta["current_version"], meta["oldest_version"], meta["max_versions"]) == (2, 0, 0)
    assert (meta["cas_required"], meta["delete_version_after"], meta["custom_metadata"]) == (False, "0s", None)

    response = kv.update_metadata("m", max_versions=3, delete_version_after="1h",
                                  custom_metadata={"owner": "team-a"}, mount_point=kv2)
    assert response.status_code == 204
    meta = kv.read_secret_metadata("m", mount_point=kv2)["data"]
    assert (meta["max_versions"], meta["delete_version_after"]) == (3, "1h0m0s")
    assert meta["custom_metadata"] == {"owner": "team-a"}
    version = kv.read_secret_version("m", mount_point=kv2, raise_on_deleted_version=True)["data"]["metadata"]
    assert version["custom_metadata"] == {"owner": "team-a"}

    response = hv.adapter.request("PATCH", f"/v1/{kv2}/metadata/m", json={"custom_metadata": {"env": "prod"}},
                                  headers={"Content-Type": "application/merge-patch+json"})
    assert response.status_code == 204
    assert kv.read_secret_metadata("m", mount_point=kv2)["data"]["custom_metadata"] == {
        "owner": "team-a", "env": "prod"}

    assert kv.delete_metadata_and_all_versions("m", mount_point=kv2).status_code == 204
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_metadata("m", mount_point=kv2)
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_version("m", version=1, mount_point=kv2, raise_on_deleted_version=True)


def test_v2_max_versions_prunes(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    kv.update_metadata("pr", max_versions=2, mount_point=kv2)
    for value in "1234":
        kv.create_or_update_secret("pr", {"v": value}, mount_point=kv2)
    meta = kv.read_secret_metadata("pr", mount_point=kv2)["data"]
    assert sorted(meta["versions"]) == ["3", "4"]
    assert meta["oldest_version"] == 3
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_version("pr", version=1, mount_point=kv2, raise_on_deleted_version=True)


def test_v2_list(hv: hvac.Client, kv2: str) -> None:
    kv = hv.secrets.kv.v2
    for path in ("a", "a/b", "a/c/d", "z"):
        kv.create_or_update_secret(path, {"x": "1"}, mount_point=kv2)
    assert kv.list_secrets("", mount_point=kv2)["data"]["keys"] == ["a", "a/", "z"]
    assert kv.list_secrets("a", mount_point=kv2)["data"]["keys"] == ["b", "c/"]
    assert hv.adapter.get(f"/v1/{kv2}/metadata/a/", params={"list": "true"})["data"]["keys"] == ["b", "c/"]
    with pytest.raises(exceptions.InvalidPath):
        kv.list_secrets("nothing", mount_point=kv2)


def test_v2_subkeys(hv: hvac.Client, kv2: str) -> None:
    hv.secrets.kv.v2.create_or_update_secret("s", {"b": "x", "n": {"deep": {"er": 1}, "flat": 2}}, mount_point=kv2)
    subkeys = hv.adapter.get(f"/v1/{kv2}/subkeys/s")["data"]
    assert subkeys["subkeys"] == {"b": None, "n": {"deep": {"er": None}, "flat": None}}
    assert subkeys["metadata"]["version"] == 1
    shallow = hv.adapter.get(f"/v1/{kv2}/subkeys/s", params={"depth": 1})["data"]["subkeys"]
    assert shallow == {"b": None, "n": None}


def test_v2_on_dev_secret_mount(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("dev")
    response = hv.secrets.kv.v2.create_or_update_secret(path, {"k": "v"})
    assert response["data"]["version"] == 1
    assert hv.secrets.kv.v2.read_secret(path, raise_on_deleted_version=True)["data"]["data"] == {"k": "v"}
    hv.secrets.kv.v2.delete_metadata_and_all_versions(path)


def test_v1_crud_and_lease_duration(hv: hvac.Client, kv1: str) -> None:
    kv = hv.secrets.kv.v1
    response = kv.create_or_update_secret("app/db", {"user": "u", "pass": "p"}, mount_point=kv1)
    assert response.status_code == 204
    read = kv.read_secret("app/db", mount_point=kv1)
    assert read["data"] == {"pass": "p", "user": "u"}
    assert (read["lease_id"], read["renewable"], read["lease_duration"]) == ("", False, 7200)

    kv.create_or_update_secret("app/ttl", {"v": "1", "ttl": "30m"}, mount_point=kv1)
    read = kv.read_secret("app/ttl", mount_point=kv1)
    assert read["lease_duration"] == 1800
    assert read["data"] == {"v": "1", "ttl": "30m"}

    assert kv.list_secrets("app", mount_point=kv1)["data"]["keys"] == ["db", "ttl"]
    assert kv.list_secrets("", mount_point=kv1)["data"]["keys"] == ["app/"]

    assert kv.delete_secret("app/db", mount_point=kv1).status_code == 204
    assert kv.delete_secret("app/none", mount_point=kv1).status_code == 204
    with pytest.raises(exceptions.InvalidPath) as err:
        kv.read_secret("app/db", mount_point=kv1)
    assert err.value.errors == []


def test_v1_errors(hv: hvac.Client, kv1: str) -> None:
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.secrets.kv.v1.create_or_update_secret("empty", {}, mount_point=kv1)
    assert err.value.errors == ["missing data fields"]
    hv.secrets.kv.v1.create_or_update_secret("x", {"a": "1"}, mount_point=kv1)
    response = hv.adapter.request("PATCH", f"/v1/{kv1}/x", json={"a": "2"}, raise_exception=False,
                                  headers={"Content-Type": "application/merge-patch+json"})
    assert response.status_code == 405


def test_list_data_path_is_405(server: ServerProcess, hv: hvac.Client, kv2: str) -> None:
    hv.secrets.kv.v2.create_or_update_secret("l", {"a": "1"}, mount_point=kv2)
    with server.client() as http:
        response = http.request("LIST", f"{kv2}/data/")
    assert response.status_code == 405


def test_list_data_path_without_slash_is_405(hv: hvac.Client, kv2: str) -> None:
    response = hv.adapter.request("LIST", f"/v1/{kv2}/data", raise_exception=False)
    assert response.status_code == 405
