"""users/ (list) and users/<username> (create, read, update, delete)."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.tokenfields import TokenFieldArgs, TokenParams, apply_token_fields
from strongroom.auth.userpass.model import NAME_PATTERN, User, UserStore
from strongroom.auth.userpass.passwords import Hasher
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True, kw_only=True)
class UserArgs(TokenFieldArgs):
    username: str = arg("Username; case-insensitive.")
    password: str | None = arg("Password for this user; required when creating it.", None, sensitive=True)
    ttl: Duration | None = arg('Deprecated: use "token_ttl".', None)
    max_ttl: Duration | None = arg('Deprecated: use "token_max_ttl".', None)
    bound_cidrs: list[str] | None = arg('Deprecated: use "token_bound_cidrs".', None)


def path_users_list(store: UserStore) -> Path[NoArgs]:
    def list_users(request: Request, args: NoArgs) -> Response:
        names = store.names()
        if not names:
            raise NotFound()  # Vault answers an empty list with 404
        return Response(data={"keys": names})

    return Path(r"users/?", NoArgs, operations={Operation.LIST: list_users}, synopsis="List users.")


def path_users(store: UserStore, hasher: Hasher) -> Path[UserArgs]:
    def exists(request: Request, args: UserArgs) -> bool:
        return store.get(args.username) is not None

    def read(request: Request, args: UserArgs) -> Response:
        user = store.get(args.username)
        if user is None:
            raise NotFound()
        return Response(data=user.token.to_data())

    def write(request: Request, args: UserArgs) -> Response:
        if args.password is not None and args.password == "":
            raise InvalidRequest("missing password")
        new_hash = hasher.hash(args.password) if args.password else None  # outside the lock: it is slow
        warnings: list[str] = []

        def written(current: User | None) -> User:
            password_hash = new_hash or (current.password_hash if current else None)
            if password_hash is None:
                raise InvalidRequest("missing password")
            token, warnings[:] = apply_token_fields(current.token if current else TokenParams(), args)
            return User(password_hash=password_hash, token=token)

        store.modify(args.username, written)
        return Response(warnings=warnings)

    def delete(request: Request, args: UserArgs) -> Response:
        store.delete(args.username)
        return Response()

    return Path(
        rf"users/(?P<username>{NAME_PATTERN})",
        UserArgs,
        operations={Operation.READ: read, Operation.CREATE: write, Operation.UPDATE: write, Operation.DELETE: delete},
        existence_check=exists,
        synopsis="Manage users allowed to authenticate.",
        description="Deleting a user does not revoke tokens already issued to it.",
    )
