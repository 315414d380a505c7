"""users/<username>/password: replace a user's password."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.auth.userpass.model import NAME_PATTERN, User, UserStore
from strongroom.auth.userpass.passwords import Hasher
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class PasswordArgs:
    username: str = arg("Username; case-insensitive.")
    password: str | None = arg("The new password.", "", sensitive=True)


def path_password(store: UserStore, hasher: Hasher) -> Path[PasswordArgs]:
    def update(request: Request, args: PasswordArgs) -> Response:
        if not args.password:
            raise InvalidRequest("missing password")
        password_hash = hasher.hash(args.password)  # outside the lock: hashing is the slow part
        def with_password(user: User | None) -> User:
            if user is None:
                raise InvalidRequest("username does not exist")
            return replace(user, password_hash=password_hash)

        store.modify(args.username, with_password)
        return Response()

    return Path(
        rf"users/(?P<username>{NAME_PATTERN})/password",
        PasswordArgs,
        operations={Operation.UPDATE: update},
        synopsis="Reset a user's password.",
    )
