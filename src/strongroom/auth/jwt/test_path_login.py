from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson
import pytest

from strongroom.crypto.jose import SigningKey
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.response import AuthGrant

from .conftest import ISSUER, LocalServer


def claims(harness: EngineHarness, **changes: Any) -> dict[str, Any]:
    now = int(harness.clock.now())
    base: dict[str, Any] = {"iss": ISSUER, "sub": "svc-1", "aud": "vault", "iat": now, "nbf": now, "exp": now + 300,
                            "env": "prod", "email": "svc@example.test", "groups": ["ops", "dev"]}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def setup(harness: EngineHarness, key: SigningKey, **role: Any) -> None:
    harness.write("config", jwt_validation_pubkeys=[key.public_pem()], bound_issuer=ISSUER)
    harness.write("role/ci", **{"role_type": "jwt", "user_claim": "sub", "bound_audiences": ["vault"],
                                "token_policies": ["p1"], **role})


def login(harness: EngineHarness, token: str, role: str | None = "ci") -> AuthGrant:
    auth = harness.write("login", role=role, jwt=token).auth
    assert auth is not None
    return auth


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return f"{_b64(orjson.dumps(header))}.{_b64(orjson.dumps(payload))}.{_b64(signature)}"


def test_login_returns_a_grant_with_alias_groups_and_metadata(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, groups_claim="groups", claim_mappings={"email": "email", "env": "environment"},
          token_ttl="15m")
    auth = login(jwt_mount, rsa_key.sign(claims(jwt_mount)))
    assert auth == AuthGrant(
        policies=("p1",), display_name="svc-1", alias_name="svc-1", ttl=900, token_type="service",
        metadata={"email": "svc@example.test", "environment": "prod", "role": "ci"},
        alias_metadata={"email": "svc@example.test", "environment": "prod", "role": "ci"},
        groups=("ops", "dev"), internal={"role": "ci"},
    )


def test_login_path_needs_no_token(jwt_mount: EngineHarness) -> None:
    assert jwt_mount.backend.is_unauthenticated("login")
    assert jwt_mount.backend.is_unauthenticated("oidc/callback")
    assert not jwt_mount.backend.is_unauthenticated("role/ci")


@pytest.mark.parametrize("alg", ["RS256", "RS512", "PS256", "ES256", "ES384", "EdDSA"])
def test_every_asymmetric_algorithm_verifies(jwt_mount: EngineHarness, alg: str) -> None:
    key = SigningKey.generate(alg, "k")
    setup(jwt_mount, key)
    assert login(jwt_mount, key.sign(claims(jwt_mount))).alias_name == "svc-1"


def test_default_role_is_used_when_none_is_named(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    jwt_mount.write("config", jwt_validation_pubkeys=[rsa_key.public_pem()], default_role="ci")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount)), role=None).metadata == {"role": "ci"}


@pytest.mark.parametrize("aud", ["vault", ["vault"], ["other", "vault"]])
def test_audience_as_string_or_list(jwt_mount: EngineHarness, rsa_key: SigningKey, aud: object) -> None:
    setup(jwt_mount, rsa_key)
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, aud=aud))).alias_name == "svc-1"


@pytest.mark.parametrize("aud", ["other", ["other", "more"], [], None])
def test_audience_must_match_a_bound_one(jwt_mount: EngineHarness, rsa_key: SigningKey, aud: object) -> None:
    setup(jwt_mount, rsa_key)
    with pytest.raises(InvalidRequest, match="audience claim does not match any expected audience"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, aud=aud)))


@pytest.mark.parametrize("aud", [42, ["vault", 7]])
def test_audience_of_the_wrong_type_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey, aud: object) -> None:
    setup(jwt_mount, rsa_key)
    with pytest.raises(InvalidRequest, match=r"invalid audience \(aud\) claim"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, aud=aud)))


def test_a_token_with_aud_needs_a_role_with_bound_audiences(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, bound_audiences=[], bound_subject="svc-1")
    with pytest.raises(InvalidRequest, match="no audiences bound to the role"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount)))
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, aud=None))).alias_name == "svc-1"


def test_expired_token_is_refused_after_the_leeways(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    now = int(jwt_mount.clock.now())
    # Default leeways for a jwt role: 60s clock skew plus 150s expiration leeway.
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, exp=now - 200))).alias_name == "svc-1"
    with pytest.raises(InvalidRequest, match=r"invalid expiration time \(exp\) claim: token is expired"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, exp=now - 211)))


def test_leeways_can_be_turned_off(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, clock_skew_leeway=-1, expiration_leeway=-1, not_before_leeway=-1)
    now = int(jwt_mount.clock.now())
    with pytest.raises(InvalidRequest, match="token is expired"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, exp=now - 1)))
    with pytest.raises(InvalidRequest, match="token not valid yet"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, nbf=now + 1)))


def test_not_yet_valid_and_future_issued_tokens(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, not_before_leeway="10s", clock_skew_leeway="5s")
    now = int(jwt_mount.clock.now())
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, nbf=now + 15))).alias_name == "svc-1"
    with pytest.raises(InvalidRequest, match=r"invalid not before \(nbf\) claim: token not valid yet"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, nbf=now + 16)))
    with pytest.raises(InvalidRequest, match=r"issued at \(iat\) claim"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, nbf=None, iat=now + 100)))


def test_a_token_without_exp_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    with pytest.raises(InvalidRequest, match="exp"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, exp=None)))
    with pytest.raises(InvalidRequest, match="exp"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, exp="tomorrow")))


def test_wrong_issuer_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    with pytest.raises(InvalidRequest, match=r"invalid issuer \(iss\) claim"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, iss="https://evil.example.test")))
    with pytest.raises(InvalidRequest, match=r"invalid issuer \(iss\) claim"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, iss=None)))


def test_bound_subject(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, bound_subject="svc-1")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount))).alias_name == "svc-1"
    with pytest.raises(InvalidRequest, match=r"invalid subject \(sub\) claim"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, sub="svc-2")))


def test_alg_none_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    for alg in ("none", "None", "NONE"):
        token = forge({"alg": alg, "typ": "JWT"}, claims(jwt_mount))
        with pytest.raises(InvalidRequest, match="algorithm that is not allowed"):
            login(jwt_mount, token)
        with pytest.raises(InvalidRequest, match="error validating signature"):
            login(jwt_mount, token.rstrip("."))


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_signed_with_the_public_key_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey, alg: str) -> None:
    """The classic confusion: an attacker MACs the token with the server's *public* key bytes."""
    setup(jwt_mount, rsa_key)
    header, payload = {"alg": alg, "typ": "JWT", "kid": "rsa-1"}, claims(jwt_mount)
    signing_input = f"{_b64(orjson.dumps(header))}.{_b64(orjson.dumps(payload))}".encode()
    digest = getattr(hashlib, "sha" + alg[2:])
    for secret in (rsa_key.public_pem().encode(), rsa_key.public_pem().strip().encode(),
                   orjson.dumps(rsa_key.public_jwk())):
        token = signing_input.decode() + "." + _b64(hmac.new(secret, signing_input, digest).digest())
        with pytest.raises(InvalidRequest, match="algorithm that is not allowed"):
            login(jwt_mount, token)


def test_signature_by_another_key_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    stranger = SigningKey.generate("RS256", "rsa-1")
    with pytest.raises(InvalidRequest, match="error validating signature"):
        login(jwt_mount, stranger.sign(claims(jwt_mount)))


def test_tampered_payload_is_refused(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    header, _, signature = rsa_key.sign(claims(jwt_mount)).split(".")
    forged = f"{header}.{_b64(orjson.dumps(claims(jwt_mount, sub='root')))}.{signature}"
    with pytest.raises(InvalidRequest, match="error validating signature"):
        login(jwt_mount, forged)


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "!!!.???.###", "e30.e30.", "W10.e30.AA"])
def test_garbage_tokens_are_refused(jwt_mount: EngineHarness, rsa_key: SigningKey, token: str) -> None:
    setup(jwt_mount, rsa_key)
    with pytest.raises(InvalidRequest):
        login(jwt_mount, token)


def test_supported_algs_restrict_what_verifies(jwt_mount: EngineHarness) -> None:
    key = SigningKey.generate("ES256", "ec")
    setup(jwt_mount, key)
    jwt_mount.write("config", jwt_validation_pubkeys=[key.public_pem()], bound_issuer=ISSUER,
                    jwt_supported_algs=["RS256"])
    with pytest.raises(InvalidRequest, match="algorithm that is not allowed"):
        login(jwt_mount, key.sign(claims(jwt_mount)))


def test_bound_claims_string_and_list_values(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, bound_claims={"env": ["prod", "staging"], "/repo/owner": "acme"})
    token = rsa_key.sign(claims(jwt_mount, repo={"owner": "acme"}))
    assert login(jwt_mount, token).alias_name == "svc-1"
    token = rsa_key.sign(claims(jwt_mount, env=["dev", "staging"], repo={"owner": "acme"}))
    assert login(jwt_mount, token).alias_name == "svc-1"
    with pytest.raises(InvalidRequest, match="does not match any associated bound claim values"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, env="dev", repo={"owner": "acme"})))
    with pytest.raises(InvalidRequest, match="'/repo/owner' is missing"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount)))


def test_bound_claims_glob(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, bound_claims={"ref": "refs/heads/release-*"}, bound_claims_type="glob")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, ref="refs/heads/release-1.2"))).alias_name == "svc-1"
    for ref in ("refs/heads/main", "refs/heads/release", "xrefs/heads/release-1"):
        with pytest.raises(InvalidRequest, match="bound claim values"):
            login(jwt_mount, rsa_key.sign(claims(jwt_mount, ref=ref)))


def test_string_bound_claims_do_not_glob(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, bound_claims={"ref": "refs/*"})
    with pytest.raises(InvalidRequest, match="bound claim values"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, ref="refs/heads/main")))


def test_groups_claim_rules(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, groups_claim="groups")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, groups="admins"))).groups == ("admins",)
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, groups=[]))).groups == ()
    with pytest.raises(InvalidRequest, match='failed to fetch groups: \'groups\' claim not found in token'):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, groups=None)))
    with pytest.raises(InvalidRequest, match="not a list of strings"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, groups=[1, 2])))


def test_user_claim_rules(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, user_claim="email")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount))).alias_name == "svc@example.test"
    with pytest.raises(InvalidRequest, match="claim 'email' not found in token"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, email=None)))
    with pytest.raises(InvalidRequest, match="could not be converted to string"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount, email={"a": 1})))
    jwt_mount.write("role/ci", user_claim="/profile/login", user_claim_json_pointer=True)
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount, profile={"login": "neo"}))).alias_name == "neo"


def test_role_errors(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    token = rsa_key.sign(claims(jwt_mount))
    with pytest.raises(InvalidRequest, match='role "nope" could not be found'):
        login(jwt_mount, token, role="nope")
    with pytest.raises(InvalidRequest, match="missing role"):
        login(jwt_mount, token, role=None)
    with pytest.raises(InvalidRequest, match="missing token"):
        login(jwt_mount, "")
    jwt_mount.write("role/people", user_claim="sub", allowed_redirect_uris=["http://127.0.0.1:8250/oidc/callback"])
    with pytest.raises(InvalidRequest, match="role with oidc role_type is not allowed"):
        login(jwt_mount, token, role="people")


def test_login_without_config(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    with pytest.raises(InvalidRequest, match="could not load configuration"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount)))


def test_token_bound_cidrs_are_checked_at_login(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key, token_bound_cidrs=["10.0.0.0/8"])
    jwt_mount.remote_addr = "192.0.2.1"
    with pytest.raises(InvalidRequest, match="invalid CIDR"):
        login(jwt_mount, rsa_key.sign(claims(jwt_mount)))
    jwt_mount.remote_addr = "10.1.2.3"
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount))).bound_cidrs == ("10.0.0.0/8",)


def test_errors_never_echo_the_token(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    setup(jwt_mount, rsa_key)
    canary = "Canary-9911-secret"
    for token in (rsa_key.sign(claims(jwt_mount, sub=canary, aud="x")), f"{canary}.{canary}.{canary}"):
        with pytest.raises(InvalidRequest) as raised:
            login(jwt_mount, token)
        assert canary not in str(raised.value)


def test_jwks_url_keys_and_rotation(jwt_mount: EngineHarness, rsa_key: SigningKey, local_server: LocalServer) -> None:
    local_server.json("/jwks", {"keys": [rsa_key.public_jwk()]})
    jwt_mount.write("config", jwks_url=local_server.url + "/jwks", bound_issuer=ISSUER)
    jwt_mount.write("role/ci", role_type="jwt", user_claim="sub", bound_audiences="vault")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount))).alias_name == "svc-1"
    fetched = local_server.count("/jwks")
    assert login(jwt_mount, rsa_key.sign(claims(jwt_mount))).alias_name == "svc-1"
    assert local_server.count("/jwks") == fetched  # cached

    # The IdP rotates: a token with a new kid makes us refetch at once.
    new = SigningKey.generate("ES256", "ec-2")
    local_server.json("/jwks", {"keys": [new.public_jwk(), rsa_key.public_jwk()]})
    jwt_mount.clock.advance(6)
    assert login(jwt_mount, new.sign(claims(jwt_mount))).alias_name == "svc-1"
    assert local_server.count("/jwks") == fetched + 1

    # Unknown kids do not hammer the IdP: at most one refetch per few seconds.
    for step in (0, 0, 6, 0, 1):
        jwt_mount.clock.advance(step)
        with pytest.raises(InvalidRequest, match="error validating signature"):
            login(jwt_mount, SigningKey.generate("ES256", "made-up").sign(claims(jwt_mount)))
    assert local_server.count("/jwks") == fetched + 2

    # The old key is withdrawn: once the cache expires its tokens stop working.
    local_server.json("/jwks", {"keys": [new.public_jwk()]})
    old_token = rsa_key.sign(claims(jwt_mount, exp=int(jwt_mount.clock.now()) + 3600))
    assert login(jwt_mount, old_token).alias_name == "svc-1"
    jwt_mount.clock.advance(601)
    with pytest.raises(InvalidRequest, match="error validating signature"):
        login(jwt_mount, old_token)
