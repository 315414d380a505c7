from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from strongroom.auth.sigv4 import signature
from strongroom.auth.sigv4.errors import IncompleteSignature, InvalidSignature, MissingAuthenticationToken

EMPTY = hashlib.sha256(b"").hexdigest()
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def _verify(request: signature.SignedRequest, secret: str = SECRET) -> None:
    credential = signature.parse_authorization(request.headers)
    _, amz_date = signature.request_time(request.headers)
    key = signature.signing_key(secret, credential.date, credential.region, credential.service)
    signature.verify(request, credential, amz_date, key)


def test_aws_suite_get_vanilla() -> None:
    # aws-sig-v4-test-suite/get-vanilla
    headers = {
        "host": "example.amazonaws.com",
        "x-amz-date": "20150830T123600Z",
        "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                         "SignedHeaders=host;x-amz-date, "
                         "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    }
    _verify(signature.SignedRequest("GET", "/", "", headers, EMPTY))


def _botocore(body: bytes, *, path: str = "/", query: str = "", secret: str = "s3cret") -> signature.SignedRequest:  # noqa: S107
    url = f"http://127.0.0.1:8200{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method="POST", url=url, data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.Encrypt"})
    SigV4Auth(Credentials("AKSRTEST", secret), "kms", "eu-west-1").add_auth(request)
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        headers[name.lower()] = value if isinstance(value, str) else value.decode()
    headers["host"] = "127.0.0.1:8200"
    return signature.SignedRequest("POST", path, query, headers, hashlib.sha256(body).hexdigest())


def test_botocore_signed_request_verifies() -> None:
    request = _botocore(b'{"KeyId": "k"}')
    _verify(request, "s3cret")
    credential = signature.parse_authorization(request.headers)
    assert credential.region == "eu-west-1"
    assert credential.service == "kms"
    assert "x-amz-target" in credential.signed_headers


def test_query_and_odd_paths_verify() -> None:
    _verify(_botocore(b"{}", path="/a/./b/../c//d", query="b=2&a=1&a=0&sp=x%20y"), "s3cret")


def test_wrong_secret_is_refused() -> None:
    with pytest.raises(InvalidSignature):
        _verify(_botocore(b"{}"), "other")


def test_tampered_body_is_refused() -> None:
    request = _botocore(b'{"KeyId": "a"}')
    tampered = signature.SignedRequest(request.method, request.path, request.query, request.headers,
                                       hashlib.sha256(b'{"KeyId": "b"}').hexdigest())
    with pytest.raises(InvalidSignature):
        _verify(tampered, "s3cret")


def test_declared_body_hash_must_match() -> None:
    request = _botocore(b"{}")
    headers = {**request.headers, "x-amz-content-sha256": "0" * 64}
    with pytest.raises(InvalidSignature):
        signature.check_body(signature.SignedRequest("POST", "/", "", headers, request.body_sha256))


@pytest.mark.parametrize("header", ["x-amz-target", "content-type", "host"])
def test_tampered_signed_header_is_refused(header: str) -> None:
    request = _botocore(b"{}")
    headers = {**request.headers, header: request.headers[header] + "x"}
    with pytest.raises(InvalidSignature):
        _verify(signature.SignedRequest("POST", "/", "", headers, request.body_sha256), "s3cret")


def test_flipped_signature_character_is_refused() -> None:
    request = _botocore(b"{}")
    auth = request.headers["authorization"]
    last = "0" if auth[-1] != "0" else "1"
    headers = {**request.headers, "authorization": auth[:-1] + last}
    with pytest.raises(InvalidSignature):
        _verify(signature.SignedRequest("POST", "/", "", headers, request.body_sha256), "s3cret")


def test_missing_authorization() -> None:
    with pytest.raises(MissingAuthenticationToken):
        signature.parse_authorization({})


@pytest.mark.parametrize("value", [
    "AWS4-HMAC-SHA1 Credential=a/b/c/d/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=a/b/c/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=x-amz-date, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=" + "0" * 64,
    "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host;x-amz-date",
])
def test_incomplete_authorization(value: str) -> None:
    with pytest.raises(IncompleteSignature):
        signature.parse_authorization({"authorization": value})


def test_non_hex_signature_is_invalid() -> None:
    with pytest.raises(InvalidSignature):
        signature.parse_authorization({"authorization": "AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, "
                                                        "SignedHeaders=host;x-amz-date, Signature=zz"})


def test_request_time_forms() -> None:
    assert signature.request_time({"x-amz-date": "20150830T123600Z"}) == (1440938160.0, "20150830T123600Z")
    assert signature.request_time({"date": "Sun, 30 Aug 2015 12:36:00 GMT"})[1] == "20150830T123600Z"
    with pytest.raises(IncompleteSignature):
        signature.request_time({})
    with pytest.raises(IncompleteSignature):
        signature.request_time({"x-amz-date": "yesterday"})
    with pytest.raises(IncompleteSignature):
        signature.request_time({"x-amz-date": "20151330T123600Z"})


def test_freshness_window() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
    signature.check_fresh(now - 299, now, 300)
    signature.check_fresh(now + 299, now, 300)
    with pytest.raises(InvalidSignature, match="Signature expired"):
        signature.check_fresh(now - 301, now, 300)
    with pytest.raises(InvalidSignature, match="not yet current"):
        signature.check_fresh(now + 301, now, 300)


def test_scope_checks() -> None:
    credential = signature.Credential("AK", "20250101", "us-east-1", "kms", ("host", "x-amz-date"), "0" * 64)
    signature.check_scope(credential, "20250101T000000Z", "kms")
    with pytest.raises(InvalidSignature, match="Date in Credential scope"):
        signature.check_scope(credential, "20250102T000000Z", "kms")
    with pytest.raises(InvalidSignature, match="correct service"):
        signature.check_scope(credential, "20250101T000000Z", "sts")
    odd = signature.Credential("AK", "20250101", "us-east-1", "kms", ("host",), "0" * 64, "aws5_request")
    with pytest.raises(InvalidSignature, match="terminator"):
        signature.check_scope(odd, "20250101T000000Z", "kms")


def test_unsigned_header_missing_from_request_is_refused() -> None:
    request = _botocore(b"{}")
    headers = {k: v for k, v in request.headers.items() if k != "x-amz-target"}
    with pytest.raises(InvalidSignature):
        _verify(signature.SignedRequest("POST", "/", "", headers, request.body_sha256), "s3cret")


@pytest.mark.parametrize("function", [signature.verify, signature.check_body])
def test_secrets_are_compared_in_constant_time(function: object) -> None:
    """The computed signature and body hash meet the caller's only through `crypto.hashing.equal`
    (hmac.compare_digest): an `==` there would leak, through timing, how much of a guess was right."""
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "equal" in calls
    assert signature.equal.__module__ == "strongroom.crypto.hashing"
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            assert not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops), ast.unparse(node)
