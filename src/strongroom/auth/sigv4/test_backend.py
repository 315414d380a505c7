from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from strongroom.auth.sigv4.errors import InvalidSignature, MissingAuthenticationToken, UnrecognizedClient
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@pytest.fixture
def live(sigv4: EngineHarness) -> EngineHarness:
    """The harness on the wall clock, since botocore signs with the current time."""
    assert isinstance(sigv4.clock, FrozenClock)
    sigv4.clock.advance(time.time() - sigv4.clock.now())
    return sigv4


def call(harness: EngineHarness, path: str, data: dict[str, Any]) -> Response:
    request = Request(Operation.UPDATE, path, data=data, remote_addr=harness.remote_addr)
    return harness.backend.handle(request)


def signed(akid: str, secret: str, body: bytes = b"{}", *, region: str = "us-east-1",
           service: str = "kms") -> dict[str, object]:
    request = AWSRequest(method="POST", url="http://localhost:8200/", data=body,
                         headers={"Content-Type": "application/x-amz-json-1.1",
                                  "X-Amz-Target": "TrentService.ListKeys"})
    SigV4Auth(Credentials(akid, secret), service, region).add_auth(request)
    headers = {k: (v if isinstance(v, str) else v.decode()) for k, v in request.headers.items()}
    headers["Host"] = "localhost:8200"
    return {"method": "POST", "path": "/", "headers": headers, "body_sha256": hashlib.sha256(body).hexdigest()}


def test_create_returns_secret_once(live: EngineHarness) -> None:
    created = live.write("keys/app", token_policies=["kms-user"]).data
    assert created is not None
    assert created["access_key_id"].startswith("AKSR") and len(created["access_key_id"]) == 20
    assert len(created["secret_access_key"]) == 40
    read = live.read("keys/app").data
    assert read is not None
    assert "secret_access_key" not in read
    assert read["access_key_id"] == created["access_key_id"]
    assert read["token_policies"] == ["kms-user"]
    assert live.list("keys/").data == {"keys": ["app"]}


def test_secret_is_not_in_storage_keys_or_other_records(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    names = live.storage.list("") + live.storage.list("key/") + live.storage.list("akid/")
    assert all(created["secret_access_key"] not in n for n in names)


def test_login_returns_a_grant_with_the_key_policies(live: EngineHarness) -> None:
    created = live.write("keys/app", token_policies=["kms-user"]).data
    assert created is not None
    response = call(live, "login", signed(created["access_key_id"], created["secret_access_key"]))
    assert response.auth is not None
    assert response.auth.policies == ("kms-user",)
    assert response.auth.ttl == 3600
    assert response.auth.metadata["access_key_id"] == created["access_key_id"]


def test_verify_names_the_key_and_region(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    data = call(live, "verify", signed(created["access_key_id"], created["secret_access_key"],
                                       region="ap-south-1")).data
    assert data is not None
    assert data["name"] == "app"
    assert data["region"] == "ap-south-1"
    assert "x-amz-target" in data["signed_headers"]
    revision = data["revision"]
    live.write("keys/app", token_policies=["other"])
    again = call(live, "verify", signed(created["access_key_id"], created["secret_access_key"])).data
    assert again is not None and again["revision"] == revision + 1


def test_unknown_wrong_and_unsigned(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    with pytest.raises(UnrecognizedClient):
        call(live, "login", signed("AKSRNOPE", created["secret_access_key"]))
    with pytest.raises(InvalidSignature):
        call(live, "login", signed(created["access_key_id"], "wrong-secret"))
    with pytest.raises(InvalidSignature, match="correct service"):
        call(live, "login", signed(created["access_key_id"], created["secret_access_key"], service="sts"))
    with pytest.raises(MissingAuthenticationToken):
        call(live, "login", {"headers": {}, "body_sha256": "0" * 64})
    request = signed(created["access_key_id"], created["secret_access_key"])
    with pytest.raises(InvalidRequest):
        call(live, "login", {**request, "body_sha256": "short"})


def test_stale_request_is_refused(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    request = signed(created["access_key_id"], created["secret_access_key"])
    assert isinstance(live.clock, FrozenClock)
    live.clock.advance(301)
    with pytest.raises(InvalidSignature, match="Signature expired"):
        call(live, "verify", request)
    live.write("config", max_skew="10m")
    assert live.read("config").data == {"max_skew": 600}
    call(live, "verify", request)
    with pytest.raises(InvalidRequest):
        live.write("config", max_skew="1h")


def test_body_given_inline_is_hashed(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    request = signed(created["access_key_id"], created["secret_access_key"], b'{"a": 1}')
    del request["body_sha256"]
    call(live, "verify", {**request, "body": base64.b64encode(b'{"a": 1}').decode()})
    with pytest.raises(InvalidSignature):
        call(live, "verify", {**request, "body": base64.b64encode(b'{"a": 2}').decode()})
    with pytest.raises(InvalidRequest):
        call(live, "verify", {**request, "body": "%%%"})


def test_rotate_replaces_the_pair(live: EngineHarness) -> None:
    old = live.write("keys/app").data
    assert old is not None
    new = live.write("keys/app/rotate").data
    assert new is not None and new["access_key_id"] != old["access_key_id"]
    with pytest.raises(UnrecognizedClient):
        call(live, "verify", signed(old["access_key_id"], old["secret_access_key"]))
    call(live, "verify", signed(new["access_key_id"], new["secret_access_key"]))
    with pytest.raises(InvalidRequest):
        live.write("keys/missing/rotate")


def test_delete_revokes_the_credentials(live: EngineHarness) -> None:
    created = live.write("keys/app").data
    assert created is not None
    live.delete("keys/app")
    with pytest.raises(UnrecognizedClient):
        call(live, "verify", signed(created["access_key_id"], created["secret_access_key"]))
    with pytest.raises(NotFound):
        live.read("keys/app")
    with pytest.raises(NotFound):
        live.list("keys/")


def test_bound_cidrs_apply_at_login(live: EngineHarness) -> None:
    created = live.write("keys/app", token_bound_cidrs=["10.0.0.0/8"]).data
    assert created is not None
    live.remote_addr = "192.168.1.1"
    with pytest.raises(PermissionDenied):
        call(live, "login", signed(created["access_key_id"], created["secret_access_key"]))
    live.remote_addr = "10.1.2.3"
    call(live, "login", signed(created["access_key_id"], created["secret_access_key"]))
