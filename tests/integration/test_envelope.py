"""The v1 wire envelope over a real server: headers, 200 versus 204, both token headers, LIST and ?list=true."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from serverproc import ServerProcess, start

ENVELOPE = {"request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth"}


@pytest.fixture(scope="module")
def proc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    server = start(tmp_path_factory.mktemp("envelope"))
    yield server
    server.stop()


def _send(proc: ServerProcess, method: str, path: str, headers: dict[str, str] | None = None,
          **kwargs: object) -> httpx.Response:
    with httpx.Client(timeout=30) as client:
        return client.request(method, proc.url(path), headers=headers or {"X-Vault-Token": proc.root_token},
                              **kwargs)  # type: ignore[arg-type]


def test_every_reply_is_json_and_never_cached(proc: ServerProcess) -> None:
    for response in (_send(proc, "POST", "secret/data/env", json={"data": {"a": "b"}}),   # 200
                     _send(proc, "POST", "cubbyhole/env", json={"a": "b"}),              # 204
                     _send(proc, "GET", "secret/data/missing"),                          # 404
                     _send(proc, "GET", "nosuch/x"),                                     # 404 routing
                     _send(proc, "GET", "secret/data/env", headers={}),                  # 403
                     _send(proc, "GET", "sys/health")):                                  # bare body
        assert response.headers["content-type"] == "application/json", response.request.url
        assert response.headers["cache-control"] == "no-store"


def test_200_carries_the_full_envelope_and_204_nothing(proc: ServerProcess) -> None:
    written = _send(proc, "POST", "secret/data/env2", json={"data": {"a": "b"}})
    body = written.json()
    assert written.status_code == 200 and set(body) == ENVELOPE
    assert uuid.UUID(body["request_id"]) and body["warnings"] is None and body["auth"] is None
    empty = _send(proc, "POST", "sys/policies/acl/env", json={"policy": 'path "a" { capabilities = ["read"] }'})
    assert (empty.status_code, empty.content) == (204, b"")
    unknown = _send(proc, "POST", "sys/tools/random", json={"bytes": 8, "role_name": "x"})
    assert unknown.status_code == 200
    assert unknown.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [role_name]"]


def test_bearer_token_works_like_x_vault_token_and_x_vault_request_is_ignored(proc: ServerProcess) -> None:
    by_header = _send(proc, "GET", "auth/token/lookup-self").json()["data"]["id"]
    bearer = _send(proc, "GET", "auth/token/lookup-self", headers={"Authorization": f"Bearer {proc.root_token}"})
    assert bearer.status_code == 200 and bearer.json()["data"]["id"] == by_header
    with_request = _send(proc, "GET", "auth/token/lookup-self",
                         headers={"X-Vault-Token": proc.root_token, "X-Vault-Request": "true"})
    assert with_request.status_code == 200
    wrong = _send(proc, "GET", "auth/token/lookup-self", headers={"Authorization": "Bearer not-a-token"})
    assert (wrong.status_code, wrong.json()) == (403, {"errors": ["permission denied"]})


def test_list_verb_and_list_query_are_the_same_operation(proc: ServerProcess) -> None:
    for name in ("a", "b/c"):
        assert _send(proc, "POST", f"secret/data/lst/{name}", json={"data": {"x": "1"}}).status_code == 200
    expected = {"keys": ["a", "b/"]}
    assert _send(proc, "LIST", "secret/metadata/lst").json()["data"] == expected
    assert _send(proc, "LIST", "secret/metadata/lst/").json()["data"] == expected
    assert _send(proc, "GET", "secret/metadata/lst/", params={"list": "true"}).json()["data"] == expected
    assert _send(proc, "GET", "secret/metadata/none/", params={"list": "true"}).status_code == 404


def test_help_is_served_for_a_path(proc: ServerProcess) -> None:
    response = _send(proc, "GET", "secret/data/x", params={"help": "1"})
    assert response.status_code == 200 and "Key-Value" in response.json()["data"]["help"]
