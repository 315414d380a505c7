"""hvac against response wrapping: X-Vault-Wrap-TTL, sys/wrapping/wrap|unwrap|lookup|rewrap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hvac
import pytest
from conformance_support import hvac_client
from hvac import exceptions

from serverproc import ServerProcess

INVALID = ["wrapping token is not valid or does not exist"]


def wrapped_read(hv: hvac.Client, path: str, ttl: str = "5m") -> dict[str, Any]:
    response: dict[str, Any] = hv.adapter.get(f"/v1/secret/data/{path}", wrap_ttl=ttl)
    return response


def test_wrap_kv_read_then_unwrap_once(server: ServerProcess, hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("w")
    hv.secrets.kv.v2.create_or_update_secret(path, {"password": "hunter2"})
    wrapped = wrapped_read(hv, path)
    assert wrapped["data"] is None and wrapped["auth"] is None
    info = wrapped["wrap_info"]
    assert set(info) >= {"token", "accessor", "ttl", "creation_time", "creation_path"}
    assert info["ttl"] == 300
    assert info["creation_path"] == f"secret/data/{path}"

    unwrapped = hv.sys.unwrap(info["token"])
    assert unwrapped["data"]["data"] == {"password": "hunter2"}
    assert unwrapped["data"]["metadata"]["version"] == 1
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.unwrap(info["token"])
    assert err.value.errors == INVALID


def test_wrapped_reply_has_empty_request_id(hv: hvac.Client) -> None:
    assert hv.sys.wrap(payload={"k": "v"}, ttl=60)["request_id"] == ""


def test_unwrap_with_the_wrapping_token_as_client_token(server: ServerProcess, hv: hvac.Client,
                                                        unique: Callable[[str], str]) -> None:
    path = unique("w")
    hv.secrets.kv.v2.create_or_update_secret(path, {"a": "1"})
    token = wrapped_read(hv, path)["wrap_info"]["token"]
    assert hvac_client(server, token).sys.unwrap()["data"]["data"] == {"a": "1"}
    with pytest.raises((exceptions.InvalidRequest, exceptions.Forbidden)):
        hvac_client(server, token).sys.unwrap()


def test_unwrap_without_any_token_is_403(server: ServerProcess) -> None:
    with pytest.raises(exceptions.Forbidden):
        hvac_client(server, "").adapter.post("/v1/sys/wrapping/unwrap", json={})


def test_lookup_is_unauthenticated(server: ServerProcess, hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("w")
    hv.secrets.kv.v2.create_or_update_secret(path, {"a": "1"})
    token = wrapped_read(hv, path, ttl="120")["wrap_info"]["token"]
    looked = hvac_client(server, "").adapter.post("/v1/sys/wrapping/lookup", json={"token": token})["data"]
    assert set(looked) == {"creation_path", "creation_time", "creation_ttl"}
    assert (looked["creation_path"], looked["creation_ttl"]) == (f"secret/data/{path}", 120)
    assert hv.sys.unwrap(token)["data"]["data"] == {"a": "1"}, "lookup does not consume the token"
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post("/v1/sys/wrapping/lookup", json={"token": token})
    assert err.value.errors == INVALID


def test_lookup_with_the_wrapping_token_as_client_token_keeps_it(
        server: ServerProcess, hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("w")
    hv.secrets.kv.v2.create_or_update_secret(path, {"a": "1"})
    token = wrapped_read(hv, path)["wrap_info"]["token"]
    as_client = hvac_client(server, token)
    for body in ({"token": token}, {}):  # the second one is refused (no token in the body): still no use spent
        try:
            as_client.adapter.post("/v1/sys/wrapping/lookup", json=body)
        except exceptions.InvalidRequest:
            assert body == {}
    assert hv.sys.unwrap(token)["data"]["data"] == {"a": "1"}, "an unauthenticated call spent no use"


def test_rewrap_invalidates_the_old_token(hv: hvac.Client, unique: Callable[[str], str]) -> None:
    path = unique("w")
    hv.secrets.kv.v2.create_or_update_secret(path, {"a": "1"})
    old = wrapped_read(hv, path)["wrap_info"]["token"]
    rewrapped = hv.adapter.post("/v1/sys/wrapping/rewrap", json={"token": old})["wrap_info"]
    assert rewrapped["token"] != old
    assert rewrapped["creation_path"] == f"secret/data/{path}"
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.sys.unwrap(old)
    assert err.value.errors == INVALID
    assert hv.sys.unwrap(rewrapped["token"])["data"]["data"] == {"a": "1"}


def test_sys_wrapping_wrap(hv: hvac.Client) -> None:
    wrapped = hv.sys.wrap(payload={"k": "v", "n": 1}, ttl=60)
    assert wrapped["wrap_info"]["ttl"] == 60
    assert wrapped["wrap_info"]["creation_path"] == "sys/wrapping/wrap"
    assert hv.sys.unwrap(wrapped["wrap_info"]["token"])["data"] == {"k": "v", "n": 1}
    with pytest.raises(exceptions.InvalidRequest) as err:
        hv.adapter.post("/v1/sys/wrapping/wrap", json={"k": "v"})
    assert err.value.errors == ["endpoint requires response wrapping to be used"]


def test_wrapped_token_create_and_secret_id(server: ServerProcess, hv: hvac.Client) -> None:
    wrapped = hv.auth.token.create(ttl="1h", wrap_ttl="5m")["wrap_info"]
    assert wrapped["creation_path"] == "auth/token/create"
    assert wrapped["wrapped_accessor"]
    auth = hv.sys.unwrap(wrapped["token"])["auth"]
    assert auth["accessor"] == wrapped["wrapped_accessor"]
    assert hvac_client(server, auth["client_token"]).auth.token.lookup_self()["data"]["ttl"] > 0


def test_wrapping_token_is_not_a_general_token(server: ServerProcess, hv: hvac.Client) -> None:
    token = hv.sys.wrap(payload={"k": "v"}, ttl=60)["wrap_info"]["token"]
    with pytest.raises(exceptions.Forbidden):
        hvac_client(server, token).secrets.kv.v2.read_secret("anything", raise_on_deleted_version=True)
