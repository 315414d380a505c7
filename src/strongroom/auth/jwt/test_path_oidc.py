"""The OIDC flow's rules, against a local stand-in provider (the real provider runs in tests/auth_jwt)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from strongroom.auth.jwt.path_oidc import redirect_allowed
from strongroom.crypto.jose import SigningKey
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

from .conftest import LocalServer, Route

CALLBACK = "http://localhost:8250/oidc/callback"


@pytest.fixture
def idp(jwt_mount: EngineHarness, local_server: LocalServer, rsa_key: SigningKey) -> LocalServer:
    base = local_server.url
    local_server.json("/.well-known/openid-configuration", {
        "issuer": base, "jwks_uri": base + "/jwks", "authorization_endpoint": base + "/authorize",
        "token_endpoint": base + "/token", "userinfo_endpoint": base + "/userinfo"})
    local_server.json("/jwks", {"keys": [rsa_key.public_jwk()]})
    jwt_mount.write("config", oidc_discovery_url=base, oidc_client_id="cli", oidc_client_secret="s3cret")
    jwt_mount.write("role/people", user_claim="sub", groups_claim="groups", allowed_redirect_uris=[CALLBACK],
                    oidc_scopes="email,groups", token_policies="people")
    return local_server


def start(jwt_mount: EngineHarness, **extra: Any) -> dict[str, str]:
    url = jwt_mount.write("oidc/auth_url", role="people", redirect_uri=CALLBACK, **extra).data["auth_url"]
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def issue(idp: LocalServer, key: SigningKey, harness: EngineHarness, **claims: Any) -> None:
    now = int(harness.clock.now())
    body = {"iss": idp.url, "aud": "cli", "sub": "alice", "iat": now, "exp": now + 60, "groups": ["admins"],
            **claims}
    token = key.sign({k: v for k, v in body.items() if v is not None})
    idp.routes["/token"] = Route(200, orjson.dumps({"id_token": token, "access_token": "at-1"}))


def test_auth_url_parameters(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    params = start(jwt_mount)
    assert params["client_id"] == "cli" and params["redirect_uri"] == CALLBACK
    assert params["response_type"] == "code" and params["scope"] == "openid email groups"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["state"].startswith("st_") and params["nonce"].startswith("n_")
    assert start(jwt_mount)["state"] != params["state"]


def test_callback_exchanges_the_code_with_pkce_and_basic_auth(jwt_mount: EngineHarness, idp: LocalServer,
                                                               rsa_key: SigningKey) -> None:
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"])
    auth = jwt_mount.read("oidc/callback", state=params["state"], code="c0de").auth
    assert auth is not None and (auth.alias_name, auth.groups, auth.policies) == ("alice", ("admins",), ("people",))
    _, _, headers, body = next(hit for hit in idp.hits if hit[1] == "/token")
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    assert form["grant_type"] == "authorization_code" and form["code"] == "c0de"
    assert form["redirect_uri"] == CALLBACK and "client_secret" not in form
    challenge = base64.urlsafe_b64encode(hashlib.sha256(form["code_verifier"].encode()).digest()).rstrip(b"=")
    assert challenge.decode() == params["code_challenge"]
    assert headers["authorization"] == "Basic " + base64.b64encode(b"cli:s3cret").decode()


def test_nonce_must_match(jwt_mount: EngineHarness, idp: LocalServer, rsa_key: SigningKey) -> None:
    for nonce in ("n_someone-elses", None):
        params = start(jwt_mount)
        issue(idp, rsa_key, jwt_mount, nonce=nonce)
        with pytest.raises(InvalidRequest, match="invalid ID token nonce"):
            jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_id_token_must_name_our_client(jwt_mount: EngineHarness, idp: LocalServer, rsa_key: SigningKey) -> None:
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"], aud="another-client")
    with pytest.raises(InvalidRequest, match="does not match the client id"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"], aud=["cli", "x"], azp="x")
    with pytest.raises(InvalidRequest, match="azp"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_missing_claims_come_from_userinfo_for_the_same_subject(jwt_mount: EngineHarness, idp: LocalServer,
                                                                rsa_key: SigningKey) -> None:
    idp.json("/userinfo", {"sub": "alice", "groups": ["from-userinfo"]})
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"], groups=None)
    auth = jwt_mount.read("oidc/callback", state=params["state"], code="c").auth
    assert auth is not None and auth.groups == ("from-userinfo",)
    assert idp.hits[-1][2]["authorization"] == "Bearer at-1"
    idp.json("/userinfo", {"sub": "mallory", "groups": ["admins"]})
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"], groups=None)
    with pytest.raises(InvalidRequest, match="failed to fetch groups"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_max_age_needs_a_recent_auth_time(jwt_mount: EngineHarness, idp: LocalServer, rsa_key: SigningKey) -> None:
    jwt_mount.write("role/people", max_age="5m", clock_skew_leeway=-1)
    params = start(jwt_mount)
    assert params["max_age"] == "300"
    now = int(jwt_mount.clock.now())
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"], auth_time=now - 301)
    with pytest.raises(InvalidRequest, match="max_age"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")
    params = start(jwt_mount)
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"])
    with pytest.raises(InvalidRequest, match="auth_time claim is required"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_token_endpoint_failures(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    params = start(jwt_mount)
    idp.routes["/token"] = Route(400, b'{"error":"invalid_grant"}')
    with pytest.raises(InvalidRequest, match="error exchanging oidc code: unexpected status 400"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")
    params = start(jwt_mount)
    idp.routes["/token"] = Route(200, b'{"access_token":"x"}')
    with pytest.raises(InvalidRequest, match="No id_token found in response"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_provider_errors_are_not_reflected(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    params = start(jwt_mount)
    with pytest.raises(InvalidRequest) as raised:
        jwt_mount.read("oidc/callback", state=params["state"], error="<script>alert(1)</script>",
                       error_description="<img src=x onerror=alert(1)>")
    assert "<" not in str(raised.value) and str(raised.value).endswith(": error")
    with pytest.raises(InvalidRequest, match="access_denied"):
        jwt_mount.read("oidc/callback", state=params["state"], error="access_denied")
    # The failed callback used the state up.
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_state_rules(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        jwt_mount.read("oidc/callback", code="c")
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        jwt_mount.read("oidc/callback", state="st_guessed", code="c")
    params = start(jwt_mount)
    jwt_mount.clock.advance(301)
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c")


def test_pending_logins_are_tidied(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    start(jwt_mount)
    start(jwt_mount)
    assert len(jwt_mount.storage.list("oidc_state/")) == 2
    jwt_mount.backend.periodic(jwt_mount.clock.now())
    assert len(jwt_mount.storage.list("oidc_state/")) == 2
    jwt_mount.backend.periodic(jwt_mount.clock.now() + 301)
    assert jwt_mount.storage.list("oidc_state/") == []


def test_state_is_not_stored_in_the_clear(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    params = start(jwt_mount)
    stored = jwt_mount.storage.list("oidc_state/")
    assert params["state"] not in str(stored)


def test_client_nonce_binds_the_callback(jwt_mount: EngineHarness, idp: LocalServer, rsa_key: SigningKey) -> None:
    params = start(jwt_mount, client_nonce="cn-1")
    with pytest.raises(InvalidRequest, match="invalid client_nonce"):
        jwt_mount.read("oidc/callback", state=params["state"], code="c", client_nonce="cn-2")
    params = start(jwt_mount, client_nonce="cn-1")
    issue(idp, rsa_key, jwt_mount, nonce=params["nonce"])
    assert jwt_mount.read("oidc/callback", state=params["state"], code="c", client_nonce="cn-1").auth is not None


def test_auth_url_refusals(jwt_mount: EngineHarness, idp: LocalServer) -> None:
    with pytest.raises(InvalidRequest, match="unauthorized redirect_uri"):
        jwt_mount.write("oidc/auth_url", role="people", redirect_uri="https://evil.example/cb")
    with pytest.raises(InvalidRequest, match="missing redirect_uri"):
        jwt_mount.write("oidc/auth_url", role="people")
    jwt_mount.write("role/robots", role_type="jwt", user_claim="sub", bound_subject="x")
    with pytest.raises(InvalidRequest, match="is not an OIDC role"):
        jwt_mount.write("oidc/auth_url", role="robots", redirect_uri=CALLBACK)
    with pytest.raises(InvalidRequest, match="could not be found"):
        jwt_mount.write("oidc/auth_url", role="nobody", redirect_uri=CALLBACK)


def test_oidc_needs_discovery_and_a_client(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    jwt_mount.write("config", jwt_validation_pubkeys=[rsa_key.public_pem()])
    jwt_mount.write("role/people", user_claim="sub", allowed_redirect_uris=[CALLBACK])
    with pytest.raises(InvalidRequest, match="OIDC login is not configured"):
        jwt_mount.write("oidc/auth_url", role="people", redirect_uri=CALLBACK)


@pytest.mark.parametrize(("uri", "allowed"), [
    ("http://localhost:8250/oidc/callback", True),
    ("http://localhost:51234/oidc/callback", True),  # loopback: any port (RFC 8252)
    ("http://127.0.0.1:8250/oidc/callback", False),  # another host
    ("http://localhost:8250/oidc/other", False),
    ("https://localhost:8250/oidc/callback", False),
    ("http://localhost.evil.example:8250/oidc/callback", False),
    ("http://localhost:8250/oidc/callback?x=1", False),
])
def test_redirect_rules(uri: str, allowed: bool) -> None:
    assert redirect_allowed(uri, (CALLBACK, "https://app.example/cb")) is allowed
    assert redirect_allowed("https://app.example/cb", (CALLBACK, "https://app.example/cb"))
    assert not redirect_allowed("https://app.example:444/cb", ("https://app.example/cb",))
