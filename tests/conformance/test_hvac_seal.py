"""hvac against seal/unseal and key rotation, each on a server of its own."""

from __future__ import annotations

import httpx
import pytest
from conformance_support import hvac_client, unseal_key
from hvac import exceptions

from serverproc import ServerProcess


def test_seal_then_unseal_through_the_api(fresh_server: ServerProcess) -> None:
    hv = hvac_client(fresh_server)
    hv.secrets.kv.v2.create_or_update_secret("kept", {"a": "1"})
    assert hv.sys.seal().status_code == 204
    assert hv.sys.is_sealed() is True
    status = hv.sys.read_seal_status()
    assert (status["sealed"], status["t"], status["n"], status["progress"]) == (True, 1, 1, 0)

    with pytest.raises(exceptions.VaultDown) as err:
        hv.secrets.kv.v2.read_secret("kept", raise_on_deleted_version=True)
    assert err.value.errors == ["Vault is sealed"]

    unsealed = hv.sys.submit_unseal_key(unseal_key(fresh_server))
    assert unsealed["sealed"] is False
    assert (unsealed["progress"], unsealed["nonce"]) == (0, "")
    assert hv.secrets.kv.v2.read_secret("kept", raise_on_deleted_version=True)["data"]["data"] == {"a": "1"}


def test_seal_when_sealed_is_a_no_op(fresh_server: ServerProcess) -> None:
    hv = hvac_client(fresh_server)
    hv.sys.seal()
    assert hv.sys.seal().status_code == 204


def test_unseal_errors(fresh_server: ServerProcess) -> None:
    hv = hvac_client(fresh_server)
    hv.sys.seal()
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.submit_unseal_key("00")
    assert err.value.errors == ["invalid key: key is shorter than minimum 16 bytes"]
    with pytest.raises(exceptions.InvalidRequest):
        hv.sys.submit_unseal_key("ab" * 32)
    assert hv.sys.read_seal_status()["progress"] == 0
    assert hv.sys.submit_unseal_keys([unseal_key(fresh_server)])["sealed"] is False


def test_seal_and_rotate_need_sudo(fresh_server: ServerProcess) -> None:
    hv = hvac_client(fresh_server)
    token = hv.auth.token.create(policies=["default"], ttl="1h")["auth"]["client_token"]
    with pytest.raises(exceptions.Forbidden):
        hvac_client(fresh_server, token).sys.seal()
    with pytest.raises(exceptions.Forbidden):
        hvac_client(fresh_server, "").sys.seal()
    with pytest.raises(exceptions.Forbidden):
        hvac_client(fresh_server, token).sys.rotate_encryption_key()
    with pytest.raises(exceptions.Forbidden):
        hvac_client(fresh_server, token).adapter.post("/v1/sys/rotate/keyring")
    assert hv.sys.is_sealed() is False
    assert hv.sys.get_encryption_key_status()["data"]["term"] == 1


def test_key_status_and_rotate(fresh_server: ServerProcess) -> None:
    hv = hvac_client(fresh_server)
    before = hv.sys.get_encryption_key_status()["data"]
    assert set(before) >= {"term", "install_time", "encryptions"}
    hv.secrets.kv.v2.create_or_update_secret("old", {"a": "1"})
    assert hv.sys.rotate_encryption_key().status_code == 204
    after = hv.sys.get_encryption_key_status()["data"]
    assert after["term"] == before["term"] + 1
    hv.secrets.kv.v2.create_or_update_secret("new", {"b": "2"})
    assert hv.secrets.kv.v2.read_secret("old", raise_on_deleted_version=True)["data"]["data"] == {"a": "1"}

    hv.sys.seal()
    hv.sys.submit_unseal_key(unseal_key(fresh_server))
    assert hv.sys.get_encryption_key_status()["data"]["term"] == after["term"]
    assert hv.secrets.kv.v2.read_secret("new", raise_on_deleted_version=True)["data"]["data"] == {"b": "2"}


def test_health_status_codes_and_overrides(fresh_server: ServerProcess) -> None:
    def health(query: str = "", method: str = "GET") -> httpx.Response:
        return httpx.request(method, fresh_server.url("sys/health") + query, timeout=10)

    active = health()
    assert active.status_code == 200 and active.headers["content-type"] == "application/json"
    assert (active.json()["sealed"], active.json()["standby"]) == (False, False)
    assert "cluster_id" in active.json()
    assert health("?activecode=299").status_code == 299
    head = health(method="HEAD")
    assert (head.status_code, head.content) == (200, b"")
    for bad in ("abc", "0", "-1", "99999"):
        response = health(f"?activecode={bad}")
        assert (response.status_code, response.json()) == (400, {"errors": ["invalid activecode"]})

    assert hvac_client(fresh_server).sys.seal().status_code == 204
    sealed = health()
    assert sealed.status_code == 503
    body = sealed.json()
    assert (body["sealed"], body["standby"], body["replication_dr_mode"]) == (True, True, "unknown")
    assert "cluster_id" not in body
    assert health("?sealedcode=299").status_code == 299
    assert health("?sealedcode=1000").status_code == 400
    assert health(method="HEAD").status_code == 503
    assert hvac_client(fresh_server).sys.read_health_status(method="GET").status_code == 503
