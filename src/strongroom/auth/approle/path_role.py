"""role/ (list) and role/<role_name> (create, read, update, delete)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.auth.approle.model import MAX_INPUT_BYTES, NAME_PATTERN, Role
from strongroom.auth.approle.store import AppRoleStore
from strongroom.auth.tokenfields import TokenFieldArgs, apply_token_fields, parse_cidrs
from strongroom.crypto.random import new_uuid
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, SystemView, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True, kw_only=True)
class RoleArgs(TokenFieldArgs):
    role_name: str = arg("Name of the role; case-insensitive.")
    bind_secret_id: bool | None = arg("Require a secret_id at login (default true).", None)
    secret_id_bound_cidrs: list[str] | None = arg("CIDR blocks from which logins are allowed.", None)
    bound_cidr_list: list[str] | None = arg('Deprecated: use "secret_id_bound_cidrs".', None)
    secret_id_num_uses: int | None = arg("Logins a secret ID allows; 0 means unlimited.", None)
    secret_id_ttl: Duration | None = arg("Lifetime of issued secret IDs; 0 means no expiry.", None)
    role_id: str | None = arg("The role's identifier; a random UUID by default.", None)
    local_secret_ids: bool | None = arg("Accepted for compatibility; can only be set at creation.", None)
    period: Duration | None = arg('Deprecated: use "token_period".', None)


def path_roles_list(store: AppRoleStore) -> Path[NoArgs]:
    def list_roles(request: Request, args: NoArgs) -> Response:
        names = store.role_names()
        if not names:
            raise NotFound()  # Vault answers an empty list with 404
        return Response(data={"keys": names})

    return Path(r"role/?", NoArgs, operations={Operation.LIST: list_roles}, synopsis="List the roles.")


def path_role(store: AppRoleStore, system: SystemView) -> Path[RoleArgs]:
    def exists(request: Request, args: RoleArgs) -> bool:
        return store.role(args.role_name) is not None

    def read(request: Request, args: RoleArgs) -> Response:
        role = store.role(args.role_name)
        if role is None:
            raise NotFound()
        return Response(data=role.to_data())

    def write(request: Request, args: RoleArgs) -> Response:
        if len(args.role_name.encode()) > MAX_INPUT_BYTES:
            raise InvalidRequest(f"role_name is longer than maximum of {MAX_INPUT_BYTES} bytes")
        with store.lock:
            previous = store.role(args.role_name)
            role, warnings = updated_role(previous, args, system)
            store.put_role(role, previous)
        return Response(warnings=warnings)

    def delete(request: Request, args: RoleArgs) -> Response:
        with store.lock:
            role = store.role(args.role_name)
            if role is not None:
                store.delete_role(role)
        return Response()

    return Path(
        rf"role/(?P<role_name>{NAME_PATTERN})",
        RoleArgs,
        operations={Operation.READ: read, Operation.CREATE: write, Operation.UPDATE: write, Operation.DELETE: delete},
        existence_check=exists,
        synopsis="Register a role, or read, update or delete it.",
        description="Deleting a role also destroys every secret ID issued against it.",
    )


def updated_role(previous: Role | None, args: RoleArgs, system: SystemView) -> tuple[Role, list[str]]:
    """The role after applying the fields the caller sent (a new role when `previous` is None)."""
    if previous is not None and args.local_secret_ids is not None:
        raise InvalidRequest("local_secret_ids can only be modified during role creation")
    role = previous or Role(
        name=args.role_name.lower(), role_id=new_uuid(), local_secret_ids=bool(args.local_secret_ids)
    )
    token, warnings = apply_token_fields(role.token, args)
    changes: dict[str, object] = {"token": token}
    if args.role_id is not None:
        if not args.role_id.strip():
            raise InvalidRequest("invalid role_id supplied, or failed to generate a role_id")
        changes["role_id"] = args.role_id.strip()  # login trims the role_id it is given
    if args.bind_secret_id is not None:
        changes["bind_secret_id"] = args.bind_secret_id
    cidrs = args.secret_id_bound_cidrs if args.secret_id_bound_cidrs is not None else args.bound_cidr_list
    if cidrs is not None:
        parse_cidrs(cidrs, "secret_id_bound_cidrs")
        changes["secret_id_bound_cidrs"] = tuple(c.strip() for c in cidrs)
    if args.secret_id_num_uses is not None:
        if args.secret_id_num_uses < 0:
            raise InvalidRequest("secret_id_num_uses cannot be negative")
        changes["secret_id_num_uses"] = args.secret_id_num_uses
    if args.secret_id_ttl is not None:
        changes["secret_id_ttl"] = int(args.secret_id_ttl)
    role = replace(role, **changes)  # type: ignore[arg-type]
    _check_limits(role, system, warnings)
    return role, warnings


def _check_limits(role: Role, system: SystemView, warnings: list[str]) -> None:
    if not role.has_constraint():
        raise InvalidRequest("at least one constraint should be enabled on the role")
    if role.token.period > system.max_lease_ttl():
        raise InvalidRequest("'token_period' is greater than the backend's maximum lease TTL")
    if role.token.max_ttl > system.max_lease_ttl():
        warnings.append(
            "token_max_ttl is greater than the backend mount's maximum TTL value; "
            "issued tokens' max TTL value will be truncated"
        )
