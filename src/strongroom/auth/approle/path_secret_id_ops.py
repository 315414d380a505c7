"""Look up and destroy one secret ID, by its value or by its accessor:
role/<role_name>/secret-id/{lookup,destroy} and role/<role_name>/secret-id-accessor/{lookup,destroy}."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.approle.model import NAME_PATTERN, Role, SecretId
from strongroom.auth.approle.store import AppRoleStore
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

_ROLE = rf"role/(?P<role_name>{NAME_PATTERN})"


@dataclass(frozen=True)
class BySecretArgs:
    role_name: str = arg("Name of the role.")
    secret_id: str | None = arg("The secret ID.", "", sensitive=True)


@dataclass(frozen=True)
class ByAccessorArgs:
    role_name: str = arg("Name of the role.")
    secret_id_accessor: str | None = arg("Accessor of the secret ID.", "")


def _role(store: AppRoleStore, name: str) -> Role:
    role = store.role(name)
    if role is None:
        raise InvalidRequest(f'role "{name.lower()}" does not exist')
    return role


def _by_secret(store: AppRoleStore, args: BySecretArgs) -> tuple[str, SecretId | None]:
    if not args.secret_id:
        raise InvalidRequest("missing secret_id")
    role = _role(store, args.role_name)
    key = store.secret_key(role.name, args.secret_id)
    return key, store.secret(key)


def _by_accessor(store: AppRoleStore, args: ByAccessorArgs) -> tuple[str, SecretId] | None:
    if not args.secret_id_accessor:
        raise InvalidRequest("missing secret_id_accessor")
    role = _role(store, args.role_name)
    return store.secret_by_accessor(role.name, args.secret_id_accessor)


def path_secret_id_lookup(store: AppRoleStore) -> Path[BySecretArgs]:
    def lookup(request: Request, args: BySecretArgs) -> Response:
        _, entry = _by_secret(store, args)
        # Vault answers an unknown secret ID here with 204, not 404.
        return Response() if entry is None else Response(data=entry.to_data())

    return Path(
        rf"{_ROLE}/secret-id/lookup/?", BySecretArgs, operations={Operation.UPDATE: lookup},
        synopsis="Read the properties of an issued secret ID.",
    )


def path_secret_id_destroy(store: AppRoleStore) -> Path[BySecretArgs]:
    def destroy(request: Request, args: BySecretArgs) -> Response:
        with store.lock:
            key, entry = _by_secret(store, args)
            if entry is not None:
                store.remove_secret(key, entry)
        return Response()

    return Path(
        rf"{_ROLE}/secret-id/destroy/?", BySecretArgs,
        operations={Operation.UPDATE: destroy, Operation.DELETE: destroy},
        synopsis="Invalidate an issued secret ID.",
    )


def path_accessor_lookup(store: AppRoleStore) -> Path[ByAccessorArgs]:
    def lookup(request: Request, args: ByAccessorArgs) -> Response:
        found = _by_accessor(store, args)
        if found is None:
            raise NotFound("failed to find accessor entry for secret_id_accessor")
        return Response(data=found[1].to_data())

    return Path(
        rf"{_ROLE}/secret-id-accessor/lookup/?", ByAccessorArgs, operations={Operation.UPDATE: lookup},
        synopsis="Read the properties of an issued secret ID by its accessor.",
    )


def path_accessor_destroy(store: AppRoleStore) -> Path[ByAccessorArgs]:
    def destroy(request: Request, args: ByAccessorArgs) -> Response:
        with store.lock:
            found = _by_accessor(store, args)
            if found is None:
                raise InvalidRequest("failed to find accessor entry for secret_id_accessor")
            store.remove_secret(*found)
        return Response()

    return Path(
        rf"{_ROLE}/secret-id-accessor/destroy/?", ByAccessorArgs,
        operations={Operation.UPDATE: destroy, Operation.DELETE: destroy},
        synopsis="Invalidate an issued secret ID by its accessor.",
    )
