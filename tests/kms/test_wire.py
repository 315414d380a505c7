"""The wire, below any SDK: SigV4 failures (unsigned, unknown key, wrong secret, stale, future, body tampered,
target not signed), the error envelope, unknown operations, content type and JSON errors."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from serverproc import ServerProcess


def signed(server: ServerProcess, key: dict[str, str], target: str, body: dict[str, Any] | bytes, *,
           secret: str | None = None, region: str = "us-east-1", service: str = "kms",
           headers: dict[str, str] | None = None, when: float | None = None) -> tuple[dict[str, str], bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = AWSRequest(method="POST", url=server.addr + "/", data=data, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"TrentService.{target}", **(headers or {})})
    auth = SigV4Auth(Credentials(key["access_key_id"], secret or key["secret_access_key"]), service, region)
    if when is None:
        auth.add_auth(request)
    else:
        moment = datetime.datetime.fromtimestamp(when, datetime.UTC).replace(tzinfo=None)
        with patch("botocore.auth.get_current_datetime", return_value=moment):
            auth.add_auth(request)
    return {k: (v if isinstance(v, str) else v.decode()) for k, v in request.headers.items()}, data


def post(server: ServerProcess, headers: dict[str, str], data: bytes) -> httpx.Response:
    return httpx.post(server.addr + "/", headers=headers, content=data, timeout=30)


def expect(response: httpx.Response, code: str, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["__type"] == code
    assert "message" in body
    assert response.headers["x-amzn-requestid"]
    assert response.headers["content-type"] == "application/x-amz-json-1.1"
    return body


def test_signed_request_succeeds_with_request_id(server: ServerProcess, kms_key: dict[str, str]) -> None:
    response = post(server, *signed(server, kms_key, "ListKeys", {}))
    assert response.status_code == 200
    assert "Keys" in response.json() and response.headers["x-amzn-requestid"]


def test_unsigned_is_refused(server: ServerProcess) -> None:
    response = httpx.post(server.addr + "/", headers={"X-Amz-Target": "TrentService.ListKeys",
                                                      "Content-Type": "application/x-amz-json-1.1"}, content=b"{}")
    expect(response, "MissingAuthenticationTokenException")


def test_unknown_access_key(server: ServerProcess) -> None:
    fake = {"access_key_id": "AKSRAAAAAAAAAAAAAAAA", "secret_access_key": "x" * 40}
    expect(post(server, *signed(server, fake, "ListKeys", {})), "UnrecognizedClientException")


def test_wrong_secret(server: ServerProcess, kms_key: dict[str, str]) -> None:
    expect(post(server, *signed(server, kms_key, "ListKeys", {}, secret="wrong" * 8)), "InvalidSignatureException")


def test_wrong_service_in_scope(server: ServerProcess, kms_key: dict[str, str]) -> None:
    expect(post(server, *signed(server, kms_key, "ListKeys", {}, service="s3")), "InvalidSignatureException")


@pytest.mark.parametrize("offset", [-16 * 60, -6 * 60, 6 * 60])
def test_stale_or_future_requests(server: ServerProcess, kms_key: dict[str, str], offset: int) -> None:
    body = expect(post(server, *signed(server, kms_key, "ListKeys", {}, when=time.time() + offset)),
                  "InvalidSignatureException")
    assert "Signature expired" in body["message"] or "not yet current" in body["message"]


def test_body_tampered_after_signing(server: ServerProcess, kms_key: dict[str, str]) -> None:
    headers, _ = signed(server, kms_key, "GenerateRandom", {"NumberOfBytes": 8})
    expect(post(server, headers, json.dumps({"NumberOfBytes": 1000}).encode()), "InvalidSignatureException")


def test_target_swapped_after_signing(server: ServerProcess, kms_key: dict[str, str]) -> None:
    headers, data = signed(server, kms_key, "ListKeys", {})
    headers["X-Amz-Target"] = "TrentService.ListAliases"
    expect(post(server, headers, data), "InvalidSignatureException")


def test_region_from_the_scope_names_arns(server: ServerProcess, kms_key: dict[str, str]) -> None:
    response = post(server, *signed(server, kms_key, "CreateKey", {}, region="eu-west-3"))
    assert response.json()["KeyMetadata"]["Arn"].startswith("arn:aws:kms:eu-west-3:123456789012:key/")


def test_unknown_operation_and_bad_bodies(server: ServerProcess, kms_key: dict[str, str]) -> None:
    expect(post(server, *signed(server, kms_key, "LaunchRockets", {})), "UnknownOperationException")
    expect(post(server, *signed(server, kms_key, "ListKeys", b"{not json")), "SerializationException")
    expect(post(server, *signed(server, kms_key, "ListKeys", b"[]")), "SerializationException")
    expect(post(server, *signed(server, kms_key, "ListKeys", {"Limit": "ten"})), "SerializationException")
    expect(post(server, *signed(server, kms_key, "Encrypt", {"KeyId": "k", "Plaintext": "!!"})),
           "SerializationException")
    expect(post(server, *signed(server, kms_key, "ListKeys", {}, headers={"Content-Type": "text/plain"})),
           "SerializationException")


def test_missing_required_member(server: ServerProcess, kms_key: dict[str, str]) -> None:
    body = expect(post(server, *signed(server, kms_key, "Encrypt", {"Plaintext": "eA=="})), "ValidationException")
    assert body["message"] == ("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: "
                               "Member must not be null")


def test_vault_api_is_unaffected(server: ServerProcess) -> None:
    assert httpx.get(server.addr + "/v1/sys/health").status_code == 200
