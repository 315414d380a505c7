"""hvac against sys/: seal status, mounts, auth methods, policies (both APIs), capabilities, tools."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import hvac
import pytest
from conformance_support import hvac_client
from hvac import exceptions

from serverproc import ServerProcess


def test_seal_status(hv: hvac.Client) -> None:
    status = hv.sys.read_seal_status()
    assert status["type"] == "shamir"
    assert status["initialized"] is True
    assert status["sealed"] is False
    assert (status["t"], status["n"], status["progress"]) == (1, 1, 0)
    assert hv.sys.is_sealed() is False
    assert hv.sys.is_initialized() is True


def test_health_and_leader(hv: hvac.Client) -> None:
    health = hv.sys.read_health_status(method="GET")
    assert health["initialized"] is True
    assert health["sealed"] is False
    assert health["standby"] is False
    assert hv.sys.read_leader_status()["ha_enabled"] is False


def test_kv_v1_and_v2_mounts_enable_list_tune_disable(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    v1, v2 = unique("kv1"), unique("kv2")
    response = hv.sys.enable_secrets_engine("kv", path=v1, description="v1 store", options={"version": "1"},
                                            config={"default_lease_ttl": "1h", "max_lease_ttl": "24h"})
    assert response.status_code == 204
    assert hv.sys.enable_secrets_engine("kv-v2", path=v2).status_code == 204

    mounts = hv.sys.list_mounted_secrets_engines()
    assert mounts["data"][f"{v1}/"]["type"] == "kv"
    assert mounts["data"][f"{v1}/"]["description"] == "v1 store"
    assert mounts["data"][f"{v1}/"]["options"]["version"] == "1"
    assert mounts["data"][f"{v2}/"]["type"] == "kv"
    assert mounts["data"][f"{v2}/"]["options"] == {"version": "2"}
    assert mounts["data"][f"{v2}/"]["accessor"].startswith("kv_")
    assert mounts[f"{v2}/"] == mounts["data"][f"{v2}/"], "sys/mounts duplicates data at the top level"
    for builtin in ("sys/", "cubbyhole/", "secret/"):
        assert builtin in mounts["data"]
    assert mounts["data"]["secret/"]["options"] == {"version": "2"}
    assert mounts["data"]["cubbyhole/"]["local"] is True

    tune = hv.sys.read_mount_configuration(v1)
    assert tune["data"]["default_lease_ttl"] == 3600
    assert tune["data"]["max_lease_ttl"] == 86400
    assert tune["default_lease_ttl"] == 3600
    assert hv.sys.read_mount_configuration(v2)["data"]["default_lease_ttl"] == 2764800, "0 shows the system default"

    response = hv.sys.tune_mount_configuration(v1, default_lease_ttl="2h", max_lease_ttl="48h", description="tuned")
    assert response.status_code == 204
    tune = hv.sys.read_mount_configuration(v1)["data"]
    assert (tune["default_lease_ttl"], tune["max_lease_ttl"], tune["description"]) == (7200, 172800, "tuned")
    assert hv.sys.list_mounted_secrets_engines()["data"][f"{v1}/"]["description"] == "tuned"

    assert hv.sys.disable_secrets_engine(v1).status_code == 204
    assert hv.sys.disable_secrets_engine(v1).status_code == 204, "disabling a missing mount is a no-op"
    assert f"{v1}/" not in hv.sys.list_mounted_secrets_engines()["data"]
    hv.sys.disable_secrets_engine(v2)


def test_kv_v1_upgrades_to_v2_only_while_empty_and_never_back(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    empty, full = unique("up"), unique("full")
    hv.sys.enable_secrets_engine("kv", path=empty, options={"version": "1"})
    response = hv.sys.tune_mount_configuration(empty, options={"version": "2"})
    assert response["warnings"] == ["Upgrading from non-versioned to versioned data. This backend will be "
                                    "unavailable for a brief period and will resume service shortly."]
    assert hv.sys.read_mount_configuration(empty)["data"]["options"] == {"version": "2"}
    hv.secrets.kv.v2.create_or_update_secret("a", {"x": "1"}, mount_point=empty)  # the engine is v2 now
    assert hv.secrets.kv.v2.read_secret_version("a", mount_point=empty, raise_on_deleted_version=True)[
        "data"]["metadata"]["version"] == 1
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.tune_mount_configuration(empty, options={"version": "1"})
    assert err.value.errors == ["cannot downgrade mount from versioned to non-versioned"]

    hv.sys.enable_secrets_engine("kv", path=full, options={"version": "1"})
    hv.secrets.kv.v1.create_or_update_secret("a", {"x": "1"}, mount_point=full)
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.tune_mount_configuration(full, options={"version": "2"})
    assert "holds data" in err.value.errors[0]
    assert hv.sys.read_mount_configuration(full)["data"]["options"] == {"version": "1"}, "nothing half-changed"
    assert hv.secrets.kv.v1.read_secret("a", mount_point=full)["data"] == {"x": "1"}


def test_mount_errors(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("dup")
    hv.sys.enable_secrets_engine("kv", path=path)
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.enable_secrets_engine("kv", path=path)
    assert err.value.errors == [f"path is already in use at {path}/"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.enable_secrets_engine("nosuchengine", path=unique("x"))
    assert err.value.errors == ["plugin not found in the catalog: nosuchengine"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.enable_secrets_engine("kv", path="sys/foo")
    assert err.value.errors == ['cannot mount "sys/foo/"']
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.disable_secrets_engine("sys")
    assert err.value.errors == ['cannot unmount "sys/"']
    hv.sys.disable_secrets_engine(path)


def test_auth_methods_enable_list_tune_disable(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("up")
    assert hv.sys.enable_auth_method("userpass", path=path, description="up").status_code == 204
    methods = hv.sys.list_auth_methods()
    assert methods["data"][f"{path}/"]["type"] == "userpass"
    assert methods["data"][f"{path}/"]["description"] == "up"
    assert methods["data"][f"{path}/"]["accessor"].startswith("auth_userpass_")
    assert methods["data"]["token/"]["type"] == "token"
    assert methods[f"{path}/"] == methods["data"][f"{path}/"]

    tune = hv.sys.read_auth_method_tuning(path)
    assert tune["data"]["default_lease_ttl"] == 2764800
    assert tune["data"]["description"] == "up"
    assert hv.sys.tune_auth_method(path, default_lease_ttl="30m").status_code == 204
    assert hv.sys.read_auth_method_tuning(path)["data"]["default_lease_ttl"] == 1800

    with pytest.raises(exceptions.InvalidRequest):
        hv.sys.enable_auth_method("userpass", path=path)
    assert hv.sys.disable_auth_method(path).status_code == 204
    assert f"{path}/" not in hv.sys.list_auth_methods()["data"]


POLICY = 'path "secret/data/conformance/*" {\n  capabilities = ["read", "list"]\n}\n'


def test_policy_legacy_api_crud(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    name = unique("legacy")
    assert hv.sys.create_or_update_policy(name, POLICY).status_code == 204
    read = hv.sys.read_policy(name)
    assert read["data"]["name"] == name
    assert read["data"]["rules"] == POLICY
    assert read["rules"] == POLICY, "sys/policy/<n> duplicates data at the top level"
    listed = hv.sys.list_policies()
    assert name in listed["data"]["policies"]
    assert {"default", "root"} <= set(listed["data"]["keys"])
    assert hv.sys.delete_policy(name).status_code == 204
    assert name not in hv.sys.list_policies()["data"]["policies"]


def test_policy_acl_api_crud(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    name = unique("acl")
    assert hv.sys.create_or_update_acl_policy(name, POLICY).status_code == 204
    assert hv.sys.read_acl_policy(name)["data"] == {"name": name, "policy": POLICY}
    assert name in hv.sys.list_acl_policies()["data"]["keys"]
    assert hv.sys.delete_acl_policy(name).status_code == 204
    with pytest.raises(exceptions.InvalidPath) as err:
        hv.sys.read_acl_policy(name)
    assert err.value.errors == []


def test_policy_names_are_lower_cased_and_json_accepted(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    name = unique("Upper")
    hv.sys.create_or_update_policy(name, {"path": {"secret/*": {"capabilities": ["read"]}}})
    assert hv.sys.read_policy(name.lower())["data"]["name"] == name.lower()
    hv.sys.delete_policy(name.lower())


def test_policy_errors(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.create_or_update_acl_policy("root", POLICY)
    assert err.value.errors == ['cannot update "root" policy']
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.delete_acl_policy("default")
    assert err.value.errors == ["cannot delete default policy"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.create_or_update_acl_policy(unique("bad"), 'path "x" { capabilities = ["bogus"] }')
    assert err.value.errors[0].startswith("failed to parse policy")
    assert "bogus" in err.value.errors[0]
    with pytest.raises(exceptions.InvalidPath):
        hv.sys.read_policy(unique("missing"))


def test_capabilities_self_token_and_accessor(server: ServerProcess, hv: hvac.Client,
                                              unique: Callable[[str], str]) -> None:
    name = unique("caps")
    hv.sys.create_or_update_acl_policy(name, POLICY)
    created = hv.auth.token.create(policies=[name], ttl="1h")["auth"]
    paths = ["secret/data/conformance/x", "secret/data/other"]
    expected = {"secret/data/conformance/x": ["list", "read"], "secret/data/other": ["deny"]}

    by_token = hv.sys.get_capabilities(paths, token=created["client_token"])
    assert {p: sorted(by_token["data"][p]) for p in paths} == expected
    assert {p: sorted(by_token[p]) for p in paths} == expected, "capabilities duplicate data at the top level"
    by_accessor = hv.sys.get_capabilities(paths, accessor=created["accessor"])
    assert {p: sorted(by_accessor["data"][p]) for p in paths} == expected
    own = hvac_client(server, created["client_token"]).sys.get_capabilities(paths)
    assert {p: sorted(own["data"][p]) for p in paths} == expected
    assert hv.sys.get_capabilities(["anything/at/all"])["data"]["anything/at/all"] == ["root"]
    hv.sys.delete_acl_policy(name)


def test_tools_random(hv: hvac.Client) -> None:
    default = hv.adapter.post("/v1/sys/tools/random", json={})
    assert len(base64.b64decode(default["data"]["random_bytes"])) == 32
    hexed = hv.adapter.post("/v1/sys/tools/random/16", json={"format": "hex"})
    assert len(bytes.fromhex(hexed["data"]["random_bytes"])) == 16
    in_body = hv.adapter.post("/v1/sys/tools/random", json={"bytes": 8, "format": "base64"})
    assert len(base64.b64decode(in_body["data"]["random_bytes"])) == 8
    with pytest.raises(exceptions.InvalidRequest):
        hv.adapter.post("/v1/sys/tools/random/nosuchsource/8", json={})


def test_tools_hash(hv: hvac.Client) -> None:
    data = base64.b64encode(b"hello").decode()
    result = hv.adapter.post("/v1/sys/tools/hash", json={"input": data})
    assert result["data"]["sum"] == hashlib.sha256(b"hello").hexdigest()
    result = hv.adapter.post("/v1/sys/tools/hash/sha2-512", json={"input": data, "format": "base64"})
    assert result["data"]["sum"] == base64.b64encode(hashlib.sha512(b"hello").digest()).decode()
    result = hv.adapter.post("/v1/sys/tools/hash", json={"input": data, "algorithm": "sha3-256"})
    assert result["data"]["sum"] == hashlib.sha3_256(b"hello").hexdigest()
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post("/v1/sys/tools/hash/md5", json={"input": data})
    assert err.value.errors == ["unsupported algorithm md5"]
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post("/v1/sys/tools/hash", json={"input": "not base64!"})
    assert err.value.errors[0].startswith("unable to decode input as base64")


def test_key_status(hv: hvac.Client) -> None:
    status = hv.sys.get_encryption_key_status()
    assert status["data"]["term"] >= 1
    assert isinstance(status["data"]["install_time"], str)
    assert status["term"] == status["data"]["term"]


def test_unknown_mount_is_404(hv: hvac.Client) -> None:
    with pytest.raises(exceptions.InvalidPath) as err:
        hv.adapter.get("/v1/nosuchmount/foo")
    assert err.value.errors == ['no handler for route "nosuchmount/foo". route entry not found.']
