"""JWT/OIDC auth against a real OpenID provider (oidc-provider 9, Node) on loopback HTTPS.

The authorization-code flow is driven end to end with an HTTP client playing the browser: it follows the
provider's redirects and submits its development login and consent pages (no real browser is needed).
Tokens the provider issues are used as they are; for the claim variations a provider will not produce on
request (an audience list, an expired or not-yet-valid token, another issuer) the test signs tokens with the
provider's own keys, which the provider publishes at its JWKS endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from strongroom.crypto.jose import SigningKey
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, OpenIdProvider, drive_login, mount

pytestmark = pytest.mark.timeout(120)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def oidc_role(harness: EngineHarness, **extra: Any) -> None:
    harness.write("role/people", role_type="oidc", user_claim="sub", groups_claim="groups",
                  claim_mappings={"email": "email"}, allowed_redirect_uris=[REDIRECT_URI],
                  oidc_scopes=["email", "groups"], token_policies=["people"], **extra)


def jwt_role(harness: EngineHarness, **extra: Any) -> None:
    harness.write("role/ci", **{"role_type": "jwt", "user_claim": "sub", "bound_audiences": ["vault", CLIENT_ID],
                                "groups_claim": "groups", **extra})


def claims(provider: OpenIdProvider, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": provider.issuer, "sub": "robot", "aud": "vault", "iat": now, "exp": now + 300, "groups": ["ci"]}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def jwt_login(harness: EngineHarness, token: str) -> Any:
    auth = harness.write("login", role="ci", jwt=token).auth
    assert auth is not None
    return auth


def browser_login(provider: OpenIdProvider, harness: EngineHarness, user: str = "alice") -> Any:
    auth_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    back = drive_login(provider, auth_url, user)
    auth = harness.read("oidc/callback", state=back["state"], code=back["code"]).auth
    assert auth is not None
    return auth


def provider_id_token(provider: OpenIdProvider, harness: EngineHarness) -> str:
    """An id_token the provider issues to a client of its own (this test), for JWT logins."""
    verifier = "v" * 64
    challenge = _b64(hashlib.sha256(verifier.encode()).digest())
    config = harness.read("config").data
    assert config["oidc_discovery_url"] == provider.issuer
    auth_url = (f"{provider.issuer}/auth?client_id={CLIENT_ID}&response_type=code&scope=openid%20groups"
                f"&redirect_uri={REDIRECT_URI}&state=s1&nonce=n1&code_challenge={challenge}"
                "&code_challenge_method=S256")
    back = drive_login(provider, auth_url, "bob")
    with provider.client() as client:
        reply = client.post(f"{provider.issuer}/token", auth=(CLIENT_ID, CLIENT_SECRET), data={
            "grant_type": "authorization_code", "code": back["code"], "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier})
    assert reply.status_code == 200, reply.text
    return str(reply.json()["id_token"])


# -- discovery ---------------------------------------------------------------------------------------------


def test_discovery_at_config_write(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    data = harness.read("config").data
    assert data["oidc_discovery_url"] == provider.issuer
    assert data["oidc_client_id"] == CLIENT_ID
    assert "oidc_client_secret" not in data and CLIENT_SECRET not in json.dumps(data)


def test_discovery_refuses_a_mismatched_issuer(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    with pytest.raises(InvalidRequest, match="error checking oidc discovery URL"):
        harness.write("config", oidc_discovery_url=provider.issuer + "/other",
                      oidc_discovery_ca_pem=provider.tls.ca_pem)


def test_discovery_needs_the_providers_ca(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    with pytest.raises(InvalidRequest, match="error checking oidc discovery URL: request failed"):
        harness.write("config", oidc_discovery_url=provider.issuer)


def test_loopback_provider_is_refused_without_the_mount_option(provider: OpenIdProvider) -> None:
    from strongroom.auth.jwt import factory

    harness = EngineHarness(factory, mount_path="auth/oidc/")
    with pytest.raises(InvalidRequest, match="loopback"):
        harness.write("config", oidc_discovery_url=provider.issuer, oidc_discovery_ca_pem=provider.tls.ca_pem)


# -- the authorization-code flow ---------------------------------------------------------------------------


def test_authorization_code_flow_end_to_end(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness)
    auth = browser_login(provider, harness, "alice")
    assert auth.alias_name == auth.display_name == "alice"
    assert auth.groups == ("admins", "dev")
    assert auth.policies == ("people",)
    assert auth.metadata == {"email": "alice@example.test", "role": "people"}


def test_auth_url_carries_state_nonce_and_pkce(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness)
    auth_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    assert auth_url.startswith(provider.issuer + "/auth?")
    for part in ("code_challenge_method=S256", "code_challenge=", "state=st_", "nonce=n_",
                 "scope=openid%20email%20groups", f"client_id={CLIENT_ID}", "response_type=code"):
        assert part in auth_url


def test_state_is_single_use(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness)
    auth_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    back = drive_login(provider, auth_url, "bob")
    assert harness.read("oidc/callback", state=back["state"], code=back["code"]).auth is not None
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        harness.read("oidc/callback", state=back["state"], code=back["code"])


def test_state_expires(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness)
    auth_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    back = drive_login(provider, auth_url, "bob")
    harness.clock.advance(301)
    with pytest.raises(InvalidRequest, match="Expired or missing OAuth state"):
        harness.read("oidc/callback", state=back["state"], code=back["code"])


def test_a_code_from_another_login_is_refused(provider: OpenIdProvider) -> None:
    """A code obtained for one auth_url cannot complete another: PKCE and the nonce bind it."""
    harness = mount(provider)
    oidc_role(harness)
    first = drive_login(provider, harness.write("oidc/auth_url", role="people",
                                                redirect_uri=REDIRECT_URI).data["auth_url"], "alice")
    second_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    second_state = second_url.split("state=")[1].split("&")[0]
    with pytest.raises(InvalidRequest, match="error exchanging oidc code: unexpected status 400"):
        harness.read("oidc/callback", state=second_state, code=first["code"])


def test_a_bogus_code_is_refused(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness)
    auth_url = harness.write("oidc/auth_url", role="people", redirect_uri=REDIRECT_URI).data["auth_url"]
    state = auth_url.split("state=")[1].split("&")[0]
    with pytest.raises(InvalidRequest, match="error exchanging oidc code"):
        harness.read("oidc/callback", state=state, code="not-a-code")


def test_groups_bound_claims_apply_to_oidc_logins(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    oidc_role(harness, bound_claims={"groups": ["admins"]})
    assert browser_login(provider, harness, "alice").alias_name == "alice"
    with pytest.raises(InvalidRequest, match="bound claim values"):
        browser_login(provider, harness, "bob")


# -- JWT logins with tokens verified by the provider's published keys --------------------------------------


def test_jwt_login_with_a_provider_issued_id_token(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    jwt_role(harness)
    token = provider_id_token(provider, harness)
    auth = jwt_login(harness, token)
    assert (auth.alias_name, auth.groups) == ("bob", ("dev",))  # aud is the client id, a string


@pytest.mark.parametrize("aud", ["vault", ["vault"], ["someone-else", "vault"]])
def test_audience_string_and_list(provider: OpenIdProvider, aud: object) -> None:
    harness = mount(provider)
    jwt_role(harness)
    assert jwt_login(harness, provider.keys[0].sign(claims(provider, aud=aud))).alias_name == "robot"


@pytest.mark.parametrize("aud", ["someone-else", ["a", "b"], []])
def test_foreign_audience_is_refused(provider: OpenIdProvider, aud: object) -> None:
    harness = mount(provider)
    jwt_role(harness)
    with pytest.raises(InvalidRequest, match="audience claim does not match any expected audience"):
        jwt_login(harness, provider.keys[0].sign(claims(provider, aud=aud)))


def test_expired_and_not_yet_valid_tokens(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    jwt_role(harness, clock_skew_leeway=-1, expiration_leeway="30s", not_before_leeway="30s")
    now = int(time.time())
    key = provider.keys[0]
    assert jwt_login(harness, key.sign(claims(provider, exp=now - 20))).alias_name == "robot"
    with pytest.raises(InvalidRequest, match="token is expired"):
        jwt_login(harness, key.sign(claims(provider, exp=now - 60)))
    with pytest.raises(InvalidRequest, match="token not valid yet"):
        jwt_login(harness, key.sign(claims(provider, nbf=now + 60)))


def test_wrong_issuer_is_refused(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    jwt_role(harness)
    with pytest.raises(InvalidRequest, match=r"invalid issuer \(iss\) claim"):
        jwt_login(harness, provider.keys[0].sign(claims(provider, iss="https://127.0.0.1:1")))


def test_alg_none_is_refused(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    jwt_role(harness)
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": provider.keys[0].kid}).encode())
    payload = _b64(json.dumps(claims(provider)).encode())
    with pytest.raises(InvalidRequest, match="algorithm that is not allowed"):
        jwt_login(harness, f"{header}.{payload}.")


def test_hs256_signed_with_the_published_public_key_is_refused(provider: OpenIdProvider) -> None:
    harness = mount(provider)
    jwt_role(harness)
    with provider.client() as client:
        published = client.get(f"{provider.issuer}/jwks").json()["keys"][0]
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(base64.urlsafe_b64decode(published["e"] + "=="), "big"),
        int.from_bytes(base64.urlsafe_b64decode(published["n"] + "=="), "big"),
    )
    pem = numbers.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": published["kid"]}).encode())
    signing_input = f"{header}.{_b64(json.dumps(claims(provider)).encode())}"
    for secret in (pem, json.dumps(published).encode()):
        token = signing_input + "." + _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
        with pytest.raises(InvalidRequest, match="algorithm that is not allowed"):
            jwt_login(harness, token)


def test_jwks_rotation(provider: OpenIdProvider) -> None:
    """The provider rotates its keys (restarted with a new key set on the same port): a token under the new
    key id makes the mount refetch the JWKS at once; once the old key is withdrawn and the cache has aged
    out, tokens under the old key stop working."""
    harness = mount(provider)
    jwt_role(harness)
    oidc_role(harness)
    old = provider.keys[0]
    old_token = old.sign(claims(provider, exp=int(time.time()) + 3600))
    assert jwt_login(harness, old_token).alias_name == "robot"

    new = SigningKey.generate("RS256", "provider-rsa-2")
    provider.restart([new, old])
    harness.clock.advance(6)
    assert jwt_login(harness, new.sign(claims(provider))).alias_name == "robot"
    assert browser_login(provider, harness, "alice").alias_name == "alice"  # id_token under the new key
    assert jwt_login(harness, old_token).alias_name == "robot"  # the old key is still published

    provider.restart([new])
    harness.clock.advance(601)
    with pytest.raises(InvalidRequest, match="error validating signature"):
        jwt_login(harness, old_token)
    assert jwt_login(harness, new.sign(claims(provider, exp=int(time.time()) + 3600))).alias_name == "robot"
