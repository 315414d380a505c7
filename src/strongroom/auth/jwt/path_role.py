"""role/ (list) and role/<name>: which tokens a role accepts and what the issued Strongroom token carries.

A write changes only the fields sent; the result must be a valid role of its type:
- a "jwt" role needs at least one bound constraint (audiences, subject, claims or CIDRs);
- an "oidc" role (the default type, as in Vault) needs `allowed_redirect_uris`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.auth.jwt.model import NAME_PATTERN, Role
from strongroom.auth.jwt.store import JwtStore
from strongroom.auth.tokenfields import TokenFieldArgs, apply_token_fields
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

_RESERVED_METADATA = frozenset({"role"})


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True, kw_only=True)
class RoleArgs(TokenFieldArgs):
    name: str = arg("Name of the role.")
    role_type: str | None = arg("'oidc' (default) for the browser flow or 'jwt' for direct JWT logins.", None)
    user_claim: str | None = arg("Claim whose value names the user (the entity alias).", None)
    user_claim_json_pointer: bool | None = arg("Read user_claim as a JSON pointer into nested claims.", None)
    bound_audiences: list[str] | None = arg("Audiences a token must name one of.", None)
    bound_subject: str | None = arg("The 'sub' a token must carry.", None)
    bound_claims: dict[str, Any] | None = arg("Claim -> value or list of values the token must match.", None)
    bound_claims_type: str | None = arg("'string' (exact) or 'glob' ('*' wildcards) for bound_claims.", None)
    claim_mappings: dict[str, str] | None = arg("Claim -> token metadata key.", None)
    groups_claim: str | None = arg("Claim listing the user's groups (external group aliases).", None)
    allowed_redirect_uris: list[str] | None = arg("Redirect URIs the OIDC flow may return to.", None)
    oidc_scopes: list[str] | None = arg("Scopes requested besides 'openid'.", None)
    clock_skew_leeway: Duration | None = arg("Leeway for clock skew (default 60s; -1 for none).", None)
    expiration_leeway: Duration | None = arg("Extra leeway on 'exp' for jwt roles (default 150s; -1 none).", None)
    not_before_leeway: Duration | None = arg("Extra leeway on 'nbf' for jwt roles (default 150s; -1 none).", None)
    max_age: Duration | None = arg("Maximum age of the user's authentication at the provider (OIDC).", None)
    verbose_oidc_logging: bool | None = arg("Accepted for compatibility; claims are never logged.", None)
    callback_mode: str | None = arg("Only 'client' is supported.", None)
    ttl: Duration | None = arg('Deprecated: use "token_ttl".', None)
    max_ttl: Duration | None = arg('Deprecated: use "token_max_ttl".', None)
    period: Duration | None = arg('Deprecated: use "token_period".', None)
    bound_cidrs: list[str] | None = arg('Deprecated: use "token_bound_cidrs".', None)


def _bound_claims(raw: dict[str, Any]) -> dict[str, list[str]]:
    claims: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else value
        if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
            raise InvalidRequest(f"bound claim {name[:64]!r} must be a string or a list of strings")
        claims[str(name)] = [str(v) for v in values]
    return claims


def _claim_mappings(raw: dict[str, str]) -> dict[str, str]:
    targets = list(raw.values())
    if len(set(targets)) != len(targets):
        raise InvalidRequest("claim_mappings contain a duplicate target value")
    for target in targets:
        if target in _RESERVED_METADATA:
            raise InvalidRequest(f"metadata key {target!r} is reserved and may not be a mapping destination")
    return dict(raw)


def _changes(args: RoleArgs) -> dict[str, Any]:
    simple = (
        "role_type", "user_claim", "user_claim_json_pointer", "bound_subject", "bound_claims_type", "groups_claim",
        "clock_skew_leeway", "expiration_leeway", "not_before_leeway", "max_age", "verbose_oidc_logging",
        "callback_mode",
    )
    changes: dict[str, Any] = {n: getattr(args, n) for n in simple if getattr(args, n) is not None}
    for name in ("bound_audiences", "allowed_redirect_uris", "oidc_scopes"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = tuple(v.strip() for v in value if v.strip())
    if args.bound_claims is not None:
        changes["bound_claims"] = _bound_claims(args.bound_claims)
    if args.claim_mappings is not None:
        changes["claim_mappings"] = _claim_mappings(args.claim_mappings)
    return changes


def _validate(role: Role) -> None:
    if role.role_type not in ("jwt", "oidc"):
        raise InvalidRequest("invalid 'role_type': must be 'jwt' or 'oidc'")
    if role.bound_claims_type not in ("string", "glob"):
        raise InvalidRequest("invalid 'bound_claims_type': must be 'string' or 'glob'")
    if role.callback_mode != "client":
        raise InvalidRequest("invalid 'callback_mode': only 'client' is supported")
    if not role.user_claim:
        raise InvalidRequest("a user claim must be defined on the role")
    for name in ("clock_skew_leeway", "expiration_leeway", "not_before_leeway"):
        if getattr(role, name) < -1:
            raise InvalidRequest(f"invalid '{name}': must be -1 or more")
    if role.max_age < 0:
        raise InvalidRequest("invalid 'max_age': cannot be negative")
    if role.role_type == "oidc" and not role.allowed_redirect_uris:
        raise InvalidRequest("'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified.")
    if role.role_type == "jwt" and not (
        role.bound_audiences or role.bound_subject or role.bound_claims or role.token.bound_cidrs
    ):
        raise InvalidRequest("must have at least one bound constraint when creating/updating a role")


def path_role_list(store: JwtStore) -> Path[NoArgs]:
    def list_roles(request: Request, args: NoArgs) -> Response:
        names = store.role_names()
        if not names:
            raise NotFound()
        return Response(data={"keys": names})

    return Path(r"role/?", NoArgs, operations={Operation.LIST: list_roles}, synopsis="List roles.")


def path_role(store: JwtStore) -> Path[RoleArgs]:
    def exists(request: Request, args: RoleArgs) -> bool:
        return store.role(args.name) is not None

    def read(request: Request, args: RoleArgs) -> Response:
        role = store.role(args.name)
        if role is None:
            raise NotFound()
        return Response(data=role.to_data())

    def write(request: Request, args: RoleArgs) -> Response:
        changes = _changes(args)
        warnings: list[str] = []

        def change(current: Role | None) -> Role:
            current = current or Role(name=args.name.lower())
            token, warnings[:] = apply_token_fields(current.token, args)
            role = replace(current, token=token, **changes)
            _validate(role)
            return role

        store.modify_role(args.name, change)
        return Response(warnings=warnings)

    def delete(request: Request, args: RoleArgs) -> Response:
        store.delete_role(args.name)
        return Response()

    return Path(
        rf"role/(?P<name>{NAME_PATTERN})",
        RoleArgs,
        operations={Operation.READ: read, Operation.CREATE: write, Operation.UPDATE: write, Operation.DELETE: delete},
        existence_check=exists,
        synopsis="Manage the roles JWTs and OIDC logins are checked against.",
        description="Deleting a role does not revoke tokens already issued through it.",
    )
