"""role/<role_name>/secret-id (issue; LIST gives accessors) and role/<role_name>/custom-secret-id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.auth.approle.metadata import parse_metadata
from strongroom.auth.approle.model import MAX_INPUT_BYTES, NAME_PATTERN, Role, SecretId
from strongroom.auth.approle.store import AppRoleStore
from strongroom.auth.tokenfields import format_network, is_subset, parse_cidrs
from strongroom.crypto.random import new_uuid
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, SystemView, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True, kw_only=True)
class IssueArgs:
    role_name: str = arg("Name of the role.")
    metadata: Any = arg("JSON object of string values (or k=v,k=v) copied into token metadata.", None)
    cidr_list: list[str] | None = arg("CIDR blocks from which this secret ID may log in.", None)
    token_bound_cidrs: list[str] | None = arg("CIDR blocks to which issued tokens are bound.", None)
    num_uses: int | None = arg("Logins this secret ID allows; at most the role's secret_id_num_uses.", None)
    ttl: Duration | None = arg("Lifetime of this secret ID; at most the role's secret_id_ttl.", None)


@dataclass(frozen=True, kw_only=True)
class CustomArgs(IssueArgs):
    secret_id: str | None = arg("The secret ID to register.", "", sensitive=True)


class SecretIdIssuer:
    def __init__(self, store: AppRoleStore, clock: Clock, system: SystemView) -> None:
        self._store, self._clock, self._system = store, clock, system

    def issue(self, args: IssueArgs, secret_id: str) -> Response:
        if not secret_id:
            raise InvalidRequest("missing secret_id")
        if len(secret_id.encode()) > MAX_INPUT_BYTES:
            raise InvalidRequest(f"secret_id is longer than maximum of {MAX_INPUT_BYTES} bytes")
        role = self._store.role(args.role_name)
        if role is None:
            raise NotFound(f'role "{args.role_name.lower()}" does not exist')
        if not role.bind_secret_id:
            raise InvalidRequest("bind_secret_id is not set on the role")
        entry = self._entry(role, args)
        self._store.add_secret(self._store.secret_key(role.name, secret_id), entry)
        return Response(data={
            "secret_id": secret_id,
            "secret_id_accessor": entry.accessor,
            "secret_id_num_uses": entry.num_uses,
            "secret_id_ttl": entry.ttl,
        })

    def _entry(self, role: Role, args: IssueArgs) -> SecretId:
        cidrs = _cidrs(args.cidr_list, role.secret_id_bound_cidrs, "cidr_list")
        token_cidrs = _cidrs(args.token_bound_cidrs, role.token.bound_cidrs, "token_bound_cidrs")
        now = self._clock.now()
        ttl = self._ttl(role, args.ttl)
        return SecretId(
            accessor=new_uuid(),
            role=role.name,
            num_uses=_num_uses(role, args.num_uses),
            ttl=ttl,
            creation_time=now,
            expiration_time=now + ttl if ttl else 0.0,
            last_updated_time=now,
            metadata=parse_metadata(args.metadata),
            cidr_list=cidrs,
            token_bound_cidrs=token_cidrs,
        )

    def _ttl(self, role: Role, requested: int | None) -> int:
        ttl = role.secret_id_ttl if requested is None else requested
        if requested is not None and role.secret_id_ttl and (ttl == 0 or ttl > role.secret_id_ttl):
            raise InvalidRequest("ttl cannot be longer than the role's secret_id_ttl")
        # Vault caps a secret ID's life at the mount's maximum lease TTL.
        maximum = self._system.max_lease_ttl()
        return maximum if ttl < 0 or ttl > maximum else ttl


def _num_uses(role: Role, requested: int | None) -> int:
    if requested is None:
        return role.secret_id_num_uses
    if requested < 0:
        raise InvalidRequest("num_uses cannot be negative")
    if role.secret_id_num_uses and (requested == 0 or requested > role.secret_id_num_uses):
        raise InvalidRequest("num_uses cannot be higher than the role's secret_id_num_uses")
    return requested


def _cidrs(requested: list[str] | None, allowed: tuple[str, ...], field_name: str) -> tuple[str, ...]:
    """The requested blocks, which must lie within the role's."""
    if not requested:
        return ()
    blocks = tuple(format_network(n) for n in parse_cidrs(requested, field_name))
    if not is_subset(blocks, allowed):
        raise InvalidRequest(f"{field_name} must be a subset of the role's CIDR blocks")
    return blocks


def path_secret_id(store: AppRoleStore, issuer: SecretIdIssuer) -> Path[IssueArgs]:
    def generate(request: Request, args: IssueArgs) -> Response:
        return issuer.issue(args, new_uuid())

    def list_accessors(request: Request, args: IssueArgs) -> Response:
        role = store.role(args.role_name)
        if role is None:
            raise InvalidRequest(f'role "{args.role_name.lower()}" does not exist')
        accessors = sorted(entry.accessor for _, entry in store.secret_ids(role.name))
        if not accessors:
            raise NotFound()
        return Response(data={"keys": accessors})

    return Path(
        rf"role/(?P<role_name>{NAME_PATTERN})/secret-id/?",
        IssueArgs,
        operations={Operation.UPDATE: generate, Operation.LIST: list_accessors},
        synopsis="Issue a secret ID for the role, or list the accessors of its secret IDs.",
    )


def path_custom_secret_id(issuer: SecretIdIssuer) -> Path[CustomArgs]:
    def register(request: Request, args: CustomArgs) -> Response:
        return issuer.issue(args, args.secret_id or "")

    return Path(
        rf"role/(?P<role_name>{NAME_PATTERN})/custom-secret-id",
        CustomArgs,
        operations={Operation.UPDATE: register},
        synopsis="Register a secret ID of the caller's choosing for the role.",
    )
