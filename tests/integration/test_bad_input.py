"""Bad input gets a clear 4xx in Vault's error envelope, never a 500 or a traceback, and nothing half-written.
A canary secret sent in malformed requests appears in no response, server log or audit entry."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serverproc import ServerProcess, start

CANARY = "canary-7f3a9c1e-do-not-leak"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path]]:
    tmp = tmp_path_factory.mktemp("bad-input")
    audit_log = tmp / "audit.log"
    config = tmp / "server.hcl"
    config.write_text(f'audit "file" "main" {{\n  options {{\n    file_path = "{audit_log}"\n  }}\n}}\n')
    proc = start(tmp, "--config", str(config))
    yield proc, audit_log
    proc.stop()


def _raw(proc: ServerProcess, method: str, path: str, content: bytes | None = None,
         headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(timeout=30) as client:
        request = client.build_request(method, f"{proc.addr}{path}", content=content,
                                       headers={"X-Vault-Token": proc.root_token, **(headers or {})})
        return client.send(request)


def _assert_error(response: httpx.Response, status: int) -> list[str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"} and isinstance(body["errors"], list)
    assert "Traceback" not in response.text and CANARY not in response.text
    return list(body["errors"])


@pytest.mark.parametrize("content", [
    b'{"data": {"password": "' + CANARY.encode() + b'"',   # truncated
    b'{"data": ' + CANARY.encode() + b"}",                   # bare word
    b"[1, 2, 3]",                                          # not an object
    b'"' + CANARY.encode() + b'"',                          # a string
    b"\xff\xfe" + CANARY.encode(),                          # not UTF-8
])
def test_malformed_json_is_400(audited: tuple[ServerProcess, Path], content: bytes) -> None:
    proc, _ = audited
    errors = _assert_error(_raw(proc, "POST", "/v1/secret/data/malformed", content), 400)
    assert errors and "JSON" in errors[0]
    assert _raw(proc, "GET", "/v1/secret/data/malformed").status_code == 404  # nothing half-written


def test_deeply_nested_json_is_400(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    deep = b'{"data": ' + b'{"a": ' * 500 + b'"x"' + b"}" * 500 + b"}"
    _assert_error(_raw(proc, "POST", "/v1/secret/data/deep", deep), 400)


def test_oversized_body_is_413_before_authentication(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    huge = b'{"data": {"k": "' + b"a" * (33 * 1024 * 1024) + b'"}}'
    response = _raw(proc, "POST", "/v1/secret/data/huge", huge, headers={"X-Vault-Token": "invalid"})
    _assert_error(response, 413)


@pytest.mark.parametrize(("path", "body", "field"), [
    # (sys/init's own validation runs on an uninitialised server: tests/integration/test_init.py)
    ("/v1/sys/mounts/wt", b'{"type": "kv", "options": "x"}', "options"),
    ("/v1/sys/auth/wt", b'{"type": ["userpass"]}', "type"),
    ("/v1/sys/tools/random", b'{"bytes": "many"}', "bytes"),
    ("/v1/sys/capabilities-self", b'{"paths": {"a": 1}}', "paths"),
    ("/v1/auth/token/create", b'{"renewable": "perhaps"}', "renewable"),
    ("/v1/secret/config", b'{"max_versions": "x"}', "max_versions"),
])
def test_wrong_types_are_400(audited: tuple[ServerProcess, Path], path: str, body: bytes, field: str) -> None:
    proc, _ = audited
    errors = _assert_error(_raw(proc, "POST", path, body), 400)
    assert len(errors) == 1
    assert errors[0].startswith(f'Field validation failed: error converting input for field "{field}": ')
    assert _raw(proc, "GET", "/v1/sys/mounts/wt").status_code == 400  # nothing mounted


def test_field_type_errors_name_the_field_not_the_value(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    response = _raw(proc, "POST", "/v1/auth/token/create", b'{"num_uses": "' + CANARY.encode() + b'"}')
    errors = _assert_error(response, 400)
    assert "num_uses" in errors[0]
    response = _raw(proc, "POST", "/v1/secret/data/typed", b'{"data": "' + CANARY.encode() + b'"}')
    _assert_error(response, 400)


HUGE = b"99999999999999999999999"  # beyond int64: JSON decodes it as a float that no Go field could hold


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/v1/auth/token/create", b'{"num_uses": ' + HUGE + b"}", "num_uses"),
    ("/v1/auth/token/create", b'{"ttl": ' + HUGE + b"}", "ttl"),
    ("/v1/auth/token/create", b'{"period": "1000000000000h"}', "period"),
    ("/v1/secret/metadata/huge", b'{"max_versions": ' + HUGE + b"}", "max_versions"),
    ("/v1/sys/mounts/secret/tune", b'{"default_lease_ttl": ' + HUGE + b"}", "default_lease_ttl"),
    ("/v1/sys/mounts/huge", b'{"type": "kv", "config": {"max_lease_ttl": ' + HUGE + b"}}", "max_lease_ttl"),
])
def test_out_of_range_numbers_are_400(audited: tuple[ServerProcess, Path], path: str, body: bytes,
                                      field: str) -> None:
    proc, _ = audited
    errors = _assert_error(_raw(proc, "POST", path, body), 400)
    assert field in errors[0] and "out of range" in errors[0]
    assert _raw(proc, "GET", "/v1/secret/metadata/huge").status_code == 404  # nothing half-written
    assert _raw(proc, "GET", "/v1/sys/mounts/huge").status_code == 400


def test_out_of_range_wrap_ttl_is_400(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    response = _raw(proc, "POST", "/v1/sys/wrapping/wrap", b'{"a": "b"}', headers={"X-Vault-Wrap-TTL": HUGE.decode()})
    assert "out of range" in _assert_error(response, 400)[0]


@pytest.mark.parametrize("path", ["sys/leases/lookup", "sys/leases/renew", "sys/leases/revoke"])
def test_dot_segments_inside_body_ids_are_400(audited: tuple[ServerProcess, Path], path: str) -> None:
    # The URL is canonical; the id in the body would have reached storage as a key with `..` in it.
    response = _raw(proc := audited[0], "POST", f"/v1/{path}", b'{"lease_id": "../../' + CANARY.encode() + b'"}')
    assert _assert_error(response, 400)
    assert _raw(proc, "GET", "/v1/sys/health").status_code == 200


@pytest.mark.parametrize("path", [
    "/v1/secret/data/../../sys/policy", "/v1/secret//data/x", "/v1/secret/%2e%2e/sys/mounts",
    "/v1/secret%2fdata/x", "/v1/secret/data/%00", "/v1/secret/./data/x", "/v1/sys/mounts/%2E%2E",
])
def test_non_canonical_paths_are_400_before_routing(audited: tuple[ServerProcess, Path], path: str) -> None:
    proc, _ = audited
    # http.client sends the path byte for byte; httpx would normalise the dot segments away.
    host, port = proc.addr.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path, headers={"X-Vault-Token": proc.root_token})
    reply = connection.getresponse()
    response = httpx.Response(reply.status, headers=dict(reply.getheaders()), content=reply.read())
    connection.close()
    errors = _assert_error(response, 400)
    assert "non-canonical" in errors[0]


@pytest.mark.parametrize("raw", [
    b"PATCHX /v1/secret/data/x HTTP/1.1\r\nHost: x\r\n\r\n",                   # a method no parser knows
    b"GET /v1/secret/data/x HTTP/1.1\r\nX-Vault-Token: a\x01b\r\n\r\n",       # a control character in a header
    b"GARBAGE\r\n\r\n",
])
def test_requests_the_parser_cannot_read_get_the_error_envelope(audited: tuple[ServerProcess, Path],
                                                                raw: bytes) -> None:
    proc, _ = audited
    host, port = proc.addr.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(raw)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"content-type: application/json" in head.lower()
    assert body == b'{"errors":["malformed HTTP request"]}'


def test_unknown_paths_and_methods(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    errors = _assert_error(_raw(proc, "GET", "/v1/nosuchmount/foo"), 404)
    assert errors == ['no handler for route "nosuchmount/foo". route entry not found.']
    _assert_error(_raw(proc, "GET", "/v1/sys/nonexistent-endpoint"), 404)
    _assert_error(_raw(proc, "OPTIONS", "/v1/secret/data/x"), 405)
    _assert_error(_raw(proc, "GET", "/v2/secret/data/x"), 404)
    _assert_error(_raw(proc, "DELETE", "/v1/sys/health"), 405)


def test_patch_needs_merge_patch_content_type(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    response = _raw(proc, "PATCH", "/v1/secret/data/p", b'{"data": {"a": "b"}}',
                    headers={"Content-Type": "application/json"})
    assert "merge-patch" in _assert_error(response, 415)[0]


@pytest.mark.parametrize("token", ["", "garbage", "sr.s.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA000000", "x" * 5000])
def test_missing_or_malformed_tokens_are_403(audited: tuple[ServerProcess, Path], token: str) -> None:
    proc, _ = audited
    response = _raw(proc, "GET", "/v1/secret/data/x", headers={"X-Vault-Token": token})
    assert _assert_error(response, 403) == ["permission denied"]


def test_revoked_and_expired_tokens_are_403(audited: tuple[ServerProcess, Path]) -> None:
    proc, _ = audited
    with proc.client() as client:
        revoked = client.post("auth/token/create", json={"policies": ["default"]}).json()["auth"]["client_token"]
        assert client.post("auth/token/revoke", json={"token": revoked}).status_code == 204
        short = client.post("auth/token/create", json={"policies": ["default"], "ttl": "1s"}).json()
    short_token = short["auth"]["client_token"]
    time.sleep(1.5)
    for token in (revoked, short_token):
        response = _raw(proc, "GET", "/v1/auth/token/lookup-self", headers={"X-Vault-Token": token})
        assert _assert_error(response, 403) == ["permission denied"]


def test_canary_never_reaches_log_or_audit_in_clear(audited: tuple[ServerProcess, Path]) -> None:
    proc, audit_log = audited
    # Everything above sent the canary; send a well-formed write with it too, and read it back.
    with proc.client() as client:
        assert client.post("secret/data/canary", json={"data": {"pw": CANARY}}).status_code == 200
        assert client.get("secret/data/canary").json()["data"]["data"]["pw"] == CANARY
    assert CANARY not in proc.log()
    text = audit_log.read_text()
    assert text.count("\n") > 10
    assert CANARY not in text
    assert proc.root_token not in text.replace('"root"', "")  # the token only as an HMAC
