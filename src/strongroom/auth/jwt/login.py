"""What both ways of logging in share: find the role, check a verified token's claims, build the grant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from strongroom.auth.jwt import claims as checks
from strongroom.auth.jwt.model import Config, Role
from strongroom.auth.jwt.store import JwtStore
from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.crypto import jose
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.response import AuthGrant


def load_config(store: JwtStore) -> Config:
    config = store.config()
    if config is None:
        raise InvalidRequest("could not load configuration")
    return config


def load_role(store: JwtStore, config: Config, name: str | None) -> Role:
    role_name = (name or "").strip() or config.default_role
    if not role_name:
        raise InvalidRequest("missing role")
    role = store.role(role_name)
    if role is None:
        raise InvalidRequest(f'role "{role_name[:128]}" could not be found')
    return role


def algorithms(config: Config, *, oidc: bool) -> tuple[str, ...]:
    """Vault's defaults: RS256 for OIDC id_tokens, every supported algorithm for JWT logins."""
    if config.jwt_supported_algs:
        return config.jwt_supported_algs
    return ("RS256",) if oidc else jose.SUPPORTED_ALGS


def check_claims(
    claims: Mapping[str, Any], config: Config, role: Role, now: float, *, client_id: str | None = None
) -> checks.Identity:
    """Every claim check of a login; `client_id` is set for OIDC id_tokens."""
    checks.check_issuer(claims, (config.bound_issuer, config.issuer))
    checks.check_times(claims, role, now, oidc=client_id is not None)
    checks.check_audience(claims, role, client_id)
    checks.check_subject(claims, role)
    checks.check_bound_claims(claims, role)
    return checks.identity(claims, role)


def grant(role: Role, who: checks.Identity, remote_addr: str) -> AuthGrant:
    if role.token.bound_cidrs and not remote_addr_allowed(remote_addr, role.token.bound_cidrs):
        raise InvalidRequest("request originated from invalid CIDR")
    granted = role.token.grant(
        display_name=who.alias_name, alias_name=who.alias_name, metadata=who.metadata,
        internal={"role": role.name},
    )
    return replace(granted, groups=who.groups, alias_metadata=dict(who.metadata))
