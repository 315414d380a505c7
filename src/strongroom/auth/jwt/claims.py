"""Checks on a verified token's claims, and what a login takes from them (alias, groups, metadata).

Claim names starting with "/" are JSON pointers into nested claims (RFC 6901), as in Vault. Every error is an
InvalidRequest with Vault's wording; claim values are never echoed, only claim names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.auth.jwt.model import (
    DEFAULT_CLOCK_SKEW,
    DEFAULT_EXPIRATION_LEEWAY,
    DEFAULT_NOT_BEFORE_LEEWAY,
    Role,
    leeway,
)
from strongroom.sdk.errors import InvalidRequest

_MISSING = object()


def _invalid(what: str) -> InvalidRequest:
    return InvalidRequest(f"error validating token: {what}")


def get_claim(claims: Mapping[str, Any], name: str) -> Any:
    """A claim by name, or by JSON pointer when `name` starts with "/"; `_MISSING` when absent."""
    if not name.startswith("/"):
        return claims.get(name, _MISSING)
    value: Any = claims
    for token in name[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, Mapping) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return _MISSING
    return value


def has_claim(claims: Mapping[str, Any], name: str) -> bool:
    return get_claim(claims, name) is not _MISSING


def _number(claims: Mapping[str, Any], name: str, label: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(f"invalid {label} claim: not a number")
    return float(value)


def check_times(claims: Mapping[str, Any], role: Role, now: float, *, oidc: bool) -> None:
    """exp (required), nbf and iat against `now` with the role's leeways. Expiration and not-before leeways
    apply to jwt logins only; the clock skew leeway to both."""
    skew = leeway(role.clock_skew_leeway, DEFAULT_CLOCK_SKEW)
    exp_leeway = 0 if oidc else leeway(role.expiration_leeway, DEFAULT_EXPIRATION_LEEWAY)
    nbf_leeway = 0 if oidc else leeway(role.not_before_leeway, DEFAULT_NOT_BEFORE_LEEWAY)
    exp = _number(claims, "exp", "expiration time (exp)")
    if exp is None:
        raise _invalid("invalid expiration time (exp) claim: claim is missing")
    if now > exp + skew + exp_leeway:
        raise _invalid("invalid expiration time (exp) claim: token is expired")
    nbf = _number(claims, "nbf", "not before (nbf)")
    if nbf is not None and now + skew + nbf_leeway < nbf:
        raise _invalid("invalid not before (nbf) claim: token not valid yet")
    iat = _number(claims, "iat", "issued at (iat)")
    if iat is not None and now + skew + nbf_leeway < iat:
        raise _invalid("invalid issued at (iat) claim: token issued in the future")


def audiences(claims: Mapping[str, Any]) -> list[str]:
    raw = claims.get("aud")
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and all(isinstance(a, str) for a in raw):
        return list(raw)
    raise _invalid("invalid audience (aud) claim: not a string or a list of strings")


def check_audience(claims: Mapping[str, Any], role: Role, client_id: str | None = None) -> None:
    """jwt logins: with bound audiences, `aud` must name one; without, a token carrying `aud` is refused
    (CVE-2024-5798 class). OIDC id_tokens must also name our client id (and `azp` must be it when present
    with several audiences)."""
    found = audiences(claims)
    if client_id is not None:
        if client_id not in found:
            raise _invalid("invalid audience (aud) claim: audience claim does not match the client id")
        azp = claims.get("azp")
        if len(found) > 1 and azp is not None and azp != client_id:
            raise _invalid("invalid authorized party (azp) claim")
    if role.bound_audiences:
        if not set(found) & set(role.bound_audiences):
            raise _invalid("invalid audience (aud) claim: audience claim does not match any expected audience")
    elif found and client_id is None:
        raise InvalidRequest("audience claim found in JWT but no audiences bound to the role")


def check_issuer(claims: Mapping[str, Any], expected: Iterable[str]) -> None:
    iss = claims.get("iss")
    for want in expected:
        if want and iss != want:
            raise _invalid("invalid issuer (iss) claim")


def check_subject(claims: Mapping[str, Any], role: Role) -> None:
    if role.bound_subject and claims.get("sub") != role.bound_subject:
        raise _invalid("invalid subject (sub) claim")


def glob_match(pattern: str, value: str) -> bool:
    """Vault's bound-claims glob: `*` matches any run of characters, nothing else is special."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), value, re.DOTALL) is not None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def check_bound_claims(claims: Mapping[str, Any], role: Role) -> None:
    for name, wanted in role.bound_claims.items():
        value = get_claim(claims, name)
        if value is _MISSING:
            raise InvalidRequest(f"error validating claims: claim {name!r} is missing")
        present = [_scalar(v) for v in value] if isinstance(value, list) else [_scalar(value)]
        texts = [v for v in present if v is not None]
        if role.bound_claims_type == "glob":
            matched = any(glob_match(w, t) for w in wanted for t in texts)
        else:
            matched = bool(set(texts) & set(wanted))
        if not matched:
            raise InvalidRequest(
                f"error validating claims: claim {name!r} does not match any associated bound claim values"
            )


@dataclass(frozen=True)
class Identity:
    """What a login takes from a token's claims."""

    alias_name: str
    groups: tuple[str, ...]
    metadata: dict[str, str]


def _user(claims: Mapping[str, Any], role: Role) -> str:
    name = role.user_claim
    value = get_claim(claims, name) if role.user_claim_json_pointer else claims.get(name, _MISSING)
    if value is _MISSING:
        raise InvalidRequest(f"claim {name!r} not found in token")
    if not isinstance(value, str) or not value:
        raise InvalidRequest(f"claim {name!r} could not be converted to string")
    return value


def _groups(claims: Mapping[str, Any], role: Role) -> tuple[str, ...]:
    if not role.groups_claim:
        return ()
    value = get_claim(claims, role.groups_claim)
    if value is _MISSING:
        raise InvalidRequest(f"failed to fetch groups: {role.groups_claim!r} claim not found in token")
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidRequest(f"failed to fetch groups: {role.groups_claim!r} claim is not a list of strings")
    return tuple(dict.fromkeys(v for v in values if v))


def _metadata(claims: Mapping[str, Any], role: Role) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for source, target in role.claim_mappings.items():
        value = get_claim(claims, source)
        if value is _MISSING:
            continue
        text = _scalar(value)
        if text is None:
            raise InvalidRequest(f"error converting claim {source!r} to string")
        metadata[target] = text
    metadata["role"] = role.name
    return metadata


def identity(claims: Mapping[str, Any], role: Role) -> Identity:
    return Identity(alias_name=_user(claims, role), groups=_groups(claims, role), metadata=_metadata(claims, role))
