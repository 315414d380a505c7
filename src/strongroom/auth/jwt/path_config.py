"""config: where the mount's verification keys come from, and the OIDC client it is.

A write replaces the whole config, as Vault's does. Exactly one key source must be set. The discovery document
(or the JWKS) is fetched when the config is written, so a wrong URL fails now rather than at the first login.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

from strongroom.auth.jwt.keysource import KeySource
from strongroom.auth.jwt.model import Config
from strongroom.auth.jwt.outbound import Outbound, OutboundError
from strongroom.auth.jwt.store import JwtStore
from strongroom.crypto import jose
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

ONE_SOURCE = (
    "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', "
    "or 'provider_config' must be set"
)


@dataclass(frozen=True)
class ConfigArgs:
    oidc_discovery_url: str = arg("OIDC discovery URL, without the .well-known suffix; the issuer must equal it.", "")
    oidc_discovery_ca_pem: str = arg("PEM CA certificate(s) for the discovery URL; replaces the system roots.", "")
    oidc_client_id: str = arg("The OAuth client id for the OIDC flow.", "")
    oidc_client_secret: str = arg("The OAuth client secret; never returned by a read.", "", sensitive=True)
    oidc_response_mode: str = arg("'query' (default) or 'form_post'.", "")
    oidc_response_types: list[str] = arg("Only 'code' is supported.", factory=list)
    jwks_url: str = arg("JWKS URL to fetch verification keys from.", "")
    jwks_ca_pem: str = arg("PEM CA certificate(s) for the JWKS URL; replaces the system roots.", "")
    jwks_pairs: Any = arg("Not supported: several JWKS URLs.", None)
    jwt_validation_pubkeys: list[str] = arg("PEM public keys that verify JWTs.", factory=list)
    jwt_supported_algs: list[str] = arg("Accepted signing algorithms; default RS256 for OIDC, all for JWT.",
                                        factory=list)
    bound_issuer: str = arg("The 'iss' every token must carry.", "")
    default_role: str = arg("Role used when a login names none.", "")
    provider_config: dict[str, Any] | None = arg("Not supported: provider-specific settings.", None)
    namespace_in_state: bool = arg("Accepted for compatibility; there are no namespaces.", True)


def _discover(outbound: Outbound, config: Config) -> Config:
    base = config.oidc_discovery_url.rstrip("/")
    try:
        document = outbound.get_json(base + "/.well-known/openid-configuration", ca_pem=config.oidc_discovery_ca_pem)
    except OutboundError as exc:
        raise InvalidRequest(f"error checking oidc discovery URL: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("issuer"), str):
        raise InvalidRequest("error checking oidc discovery URL: not a discovery document")
    issuer = document["issuer"]
    if issuer.rstrip("/") != base:
        raise InvalidRequest(
            "error checking oidc discovery URL: issuer did not match the issuer returned by provider"
        )
    endpoints: dict[str, str] = {}
    for name in ("jwks_uri", "authorization_endpoint", "token_endpoint", "userinfo_endpoint"):
        value = document.get(name, "")
        endpoints[name] = urljoin(base + "/", value) if isinstance(value, str) and value else ""
    if not endpoints["jwks_uri"]:
        raise InvalidRequest("error checking oidc discovery URL: the document names no jwks_uri")
    return replace(
        config, issuer=issuer, jwks_uri=endpoints["jwks_uri"],
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"], userinfo_endpoint=endpoints["userinfo_endpoint"],
    )


def _validate(args: ConfigArgs) -> None:
    sources = [
        bool(args.oidc_discovery_url), bool(args.jwks_url), bool(args.jwt_validation_pubkeys),
        bool(args.jwks_pairs), bool(args.provider_config),
    ]
    if sum(sources) != 1:
        raise InvalidRequest(ONE_SOURCE)
    if args.jwks_pairs or args.provider_config:
        raise InvalidRequest("'jwks_pairs' and 'provider_config' are not supported")
    if (args.oidc_client_id or args.oidc_client_secret) and not args.oidc_discovery_url:
        raise InvalidRequest("'oidc_discovery_url' must be set for OIDC")
    if args.oidc_client_secret and not args.oidc_client_id:
        raise InvalidRequest("both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC")
    for alg in args.jwt_supported_algs:
        if alg not in jose.SUPPORTED_ALGS:
            raise InvalidRequest(f"invalid jwt_supported_algs: {alg[:16]}")
    if args.oidc_response_mode not in ("", "query", "form_post"):
        raise InvalidRequest("invalid response_mode: must be 'query' or 'form_post'")
    if any(t != "code" for t in args.oidc_response_types):
        raise InvalidRequest("invalid oidc_response_types: only 'code' is supported")


def path_config(store: JwtStore, keys: KeySource, outbound: Outbound) -> Path[ConfigArgs]:
    def read(request: Request, args: ConfigArgs) -> Response:
        config = store.config()
        if config is None:
            raise NotFound()
        return Response(data=config.to_data())

    def write(request: Request, args: ConfigArgs) -> Response:
        _validate(args)
        config = Config(
            oidc_discovery_url=args.oidc_discovery_url.strip(), oidc_discovery_ca_pem=args.oidc_discovery_ca_pem,
            oidc_client_id=args.oidc_client_id, oidc_client_secret=args.oidc_client_secret,
            oidc_response_mode=args.oidc_response_mode, oidc_response_types=tuple(args.oidc_response_types),
            jwks_url=args.jwks_url.strip(), jwks_ca_pem=args.jwks_ca_pem,
            jwt_validation_pubkeys=tuple(args.jwt_validation_pubkeys),
            jwt_supported_algs=tuple(args.jwt_supported_algs), bound_issuer=args.bound_issuer,
            default_role=args.default_role, namespace_in_state=args.namespace_in_state,
        )
        if config.jwt_validation_pubkeys:
            try:
                jose.parse_pem_public_keys(config.jwt_validation_pubkeys)
            except jose.JoseError as exc:
                raise InvalidRequest(f"error parsing public key: {exc}") from None
        elif config.jwks_url:
            keys.fetch_jwks(config.jwks_url, config.jwks_ca_pem)
        else:
            config = _discover(outbound, config)
        with store.lock:
            store.put_config(config)
        keys.invalidate()
        return Response()

    return Path(
        r"config",
        ConfigArgs,
        operations={Operation.READ: read, Operation.UPDATE: write},
        synopsis="Configure the JWT/OIDC key source and OIDC client.",
    )
