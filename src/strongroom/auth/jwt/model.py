"""Stored records of a jwt/oidc mount: its config, its roles and pending OIDC logins, and their JSON forms."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from strongroom.auth.tokenfields import TokenParams

# Vault's framework.GenericNameRegex, ASCII only.
NAME_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"

# Vault's defaults for a "jwt" role when the leeway is 0; -1 turns a leeway off.
DEFAULT_CLOCK_SKEW = 60
DEFAULT_EXPIRATION_LEEWAY = 150
DEFAULT_NOT_BEFORE_LEEWAY = 150


@dataclass(frozen=True)
class Config:
    oidc_discovery_url: str = ""
    oidc_discovery_ca_pem: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_response_mode: str = ""
    oidc_response_types: tuple[str, ...] = ()
    jwks_url: str = ""
    jwks_ca_pem: str = ""
    jwt_validation_pubkeys: tuple[str, ...] = ()
    jwt_supported_algs: tuple[str, ...] = ()
    bound_issuer: str = ""
    default_role: str = ""
    namespace_in_state: bool = True
    # Learned from the discovery document at config-write time.
    issuer: str = ""
    jwks_uri: str = ""
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""

    def to_data(self) -> dict[str, Any]:
        """What a read shows: never the client secret."""
        return {
            "bound_issuer": self.bound_issuer,
            "default_role": self.default_role,
            "jwks_ca_pem": self.jwks_ca_pem,
            "jwks_pairs": [],
            "jwks_url": self.jwks_url,
            "jwt_supported_algs": list(self.jwt_supported_algs),
            "jwt_validation_pubkeys": list(self.jwt_validation_pubkeys),
            "namespace_in_state": self.namespace_in_state,
            "oidc_client_id": self.oidc_client_id,
            "oidc_discovery_ca_pem": self.oidc_discovery_ca_pem,
            "oidc_discovery_url": self.oidc_discovery_url,
            "oidc_response_mode": self.oidc_response_mode,
            "oidc_response_types": list(self.oidc_response_types),
            "provider_config": {},
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Config:
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        for name in ("oidc_response_types", "jwt_validation_pubkeys", "jwt_supported_algs"):
            known[name] = tuple(known.get(name, ()))
        return cls(**known)


@dataclass(frozen=True)
class Role:
    name: str
    role_type: str = "oidc"
    user_claim: str = ""
    user_claim_json_pointer: bool = False
    bound_audiences: tuple[str, ...] = ()
    bound_subject: str = ""
    bound_claims: dict[str, list[str]] = field(default_factory=dict)
    bound_claims_type: str = "string"
    claim_mappings: dict[str, str] = field(default_factory=dict)
    groups_claim: str = ""
    allowed_redirect_uris: tuple[str, ...] = ()
    oidc_scopes: tuple[str, ...] = ()
    clock_skew_leeway: int = 0
    expiration_leeway: int = 0
    not_before_leeway: int = 0
    max_age: int = 0
    verbose_oidc_logging: bool = False
    callback_mode: str = "client"
    token: TokenParams = field(default_factory=TokenParams)

    def to_data(self) -> dict[str, Any]:
        return {
            "role_type": self.role_type,
            "user_claim": self.user_claim,
            "user_claim_json_pointer": self.user_claim_json_pointer,
            "bound_audiences": list(self.bound_audiences),
            "bound_subject": self.bound_subject,
            "bound_claims": dict(self.bound_claims) or None,
            "bound_claims_type": self.bound_claims_type,
            "claim_mappings": dict(self.claim_mappings) or None,
            "groups_claim": self.groups_claim,
            "allowed_redirect_uris": list(self.allowed_redirect_uris) or None,
            "oidc_scopes": list(self.oidc_scopes) or None,
            "clock_skew_leeway": self.clock_skew_leeway,
            "expiration_leeway": self.expiration_leeway,
            "not_before_leeway": self.not_before_leeway,
            "max_age": self.max_age,
            "verbose_oidc_logging": self.verbose_oidc_logging,
            "callback_mode": self.callback_mode,
            **self.token.to_data(),
        }

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["token"] = self.token.to_json()
        return record

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Role:
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        for name in ("bound_audiences", "allowed_redirect_uris", "oidc_scopes"):
            known[name] = tuple(known.get(name, ()))
        known["token"] = TokenParams.from_json(raw.get("token", {}))
        return cls(**known)


def leeway(value: int, default: int) -> int:
    """Vault's rule: 0 means the default, a negative value means none."""
    if value < 0:
        return 0
    return value or default


@dataclass(frozen=True)
class PendingLogin:
    """An OIDC authorization request in flight, kept until its callback (single use) or its expiry."""

    role: str
    redirect_uri: str
    nonce: str
    code_verifier: str
    client_nonce: str
    expires: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PendingLogin:
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})
