from __future__ import annotations

import pytest

from strongroom.crypto.jose import SigningKey
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness

from .conftest import LocalServer


def test_read_before_write_is_404(jwt_mount: EngineHarness) -> None:
    with pytest.raises(NotFound):
        jwt_mount.read("config")


def test_pubkeys_config_round_trip(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    jwt_mount.write("config", jwt_validation_pubkeys=[rsa_key.public_pem()], bound_issuer="https://i",
                    default_role="ci", jwt_supported_algs=["RS256", "ES256"])
    data = jwt_mount.read("config").data
    assert data["jwt_validation_pubkeys"] == [rsa_key.public_pem()]
    assert (data["bound_issuer"], data["default_role"], data["jwt_supported_algs"]) == (
        "https://i", "ci", ["RS256", "ES256"])
    assert data["oidc_discovery_url"] == data["jwks_url"] == ""


@pytest.mark.parametrize("fields", [
    {},
    {"jwks_url": "https://a/jwks", "oidc_discovery_url": "https://a"},
    {"jwks_url": "https://a/jwks", "jwt_validation_pubkeys": ["x"]},
])
def test_exactly_one_key_source(jwt_mount: EngineHarness, fields: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest, match="exactly one of 'jwt_validation_pubkeys', 'jwks_url'"):
        jwt_mount.write("config", **fields)


def test_unsupported_sources_and_values(jwt_mount: EngineHarness, rsa_key: SigningKey) -> None:
    pem = [rsa_key.public_pem()]
    with pytest.raises(InvalidRequest, match="not supported"):
        jwt_mount.write("config", jwks_pairs=[{"jwks_url": "https://a"}])
    with pytest.raises(InvalidRequest, match="invalid jwt_supported_algs"):
        jwt_mount.write("config", jwt_validation_pubkeys=pem, jwt_supported_algs=["HS256"])
    with pytest.raises(InvalidRequest, match="invalid jwt_supported_algs"):
        jwt_mount.write("config", jwt_validation_pubkeys=pem, jwt_supported_algs=["none"])
    with pytest.raises(InvalidRequest, match="'oidc_discovery_url' must be set"):
        jwt_mount.write("config", jwt_validation_pubkeys=pem, oidc_client_id="c")
    with pytest.raises(InvalidRequest, match="response_mode"):
        jwt_mount.write("config", jwt_validation_pubkeys=pem, oidc_response_mode="fragment")
    with pytest.raises(InvalidRequest, match="only 'code'"):
        jwt_mount.write("config", jwt_validation_pubkeys=pem, oidc_response_types=["id_token"])


@pytest.mark.parametrize("pem", ["not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"])
def test_bad_public_keys_are_refused(jwt_mount: EngineHarness, pem: str) -> None:
    with pytest.raises(InvalidRequest, match="error parsing public key"):
        jwt_mount.write("config", jwt_validation_pubkeys=[pem])


def test_jwks_url_is_checked_at_write(jwt_mount: EngineHarness, local_server: LocalServer,
                                      rsa_key: SigningKey) -> None:
    with pytest.raises(InvalidRequest, match="error fetching JWKS: unexpected status 404"):
        jwt_mount.write("config", jwks_url=local_server.url + "/missing")
    local_server.json("/empty", {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})
    with pytest.raises(InvalidRequest, match="no usable signing keys"):
        jwt_mount.write("config", jwks_url=local_server.url + "/empty")
    local_server.json("/bad", {"nokeys": 1})
    with pytest.raises(InvalidRequest, match="no 'keys' list"):
        jwt_mount.write("config", jwks_url=local_server.url + "/bad")
    local_server.json("/jwks", {"keys": [rsa_key.public_jwk()]})
    jwt_mount.write("config", jwks_url=local_server.url + "/jwks")
    assert jwt_mount.read("config").data["jwks_url"] == local_server.url + "/jwks"


def test_discovery_document_rules(jwt_mount: EngineHarness, local_server: LocalServer) -> None:
    well_known = "/.well-known/openid-configuration"
    local_server.json(well_known, {"issuer": "https://someone-else", "jwks_uri": "/jwks"})
    with pytest.raises(InvalidRequest, match="issuer did not match"):
        jwt_mount.write("config", oidc_discovery_url=local_server.url)
    local_server.json(well_known, {"issuer": local_server.url})
    with pytest.raises(InvalidRequest, match="names no jwks_uri"):
        jwt_mount.write("config", oidc_discovery_url=local_server.url)
    local_server.json(well_known, ["not", "a", "document"])
    with pytest.raises(InvalidRequest, match="not a discovery document"):
        jwt_mount.write("config", oidc_discovery_url=local_server.url)
    local_server.json(well_known, {"issuer": local_server.url + "/", "jwks_uri": "/jwks",
                                   "authorization_endpoint": local_server.url + "/auth"})
    jwt_mount.write("config", oidc_discovery_url=local_server.url + "/", oidc_client_id="c",
                    oidc_client_secret="Secret-Canary-44")
    data = jwt_mount.read("config").data
    assert "Secret-Canary-44" not in str(data)
    assert data["oidc_client_id"] == "c"
