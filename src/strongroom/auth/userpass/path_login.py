"""login/<username>: exchange a password for a token.

An unknown user and a wrong password give the same error after the same Argon2id work (CVE-2025-6011 class)."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.auth.userpass.model import NAME_PATTERN, UserStore, normalise
from strongroom.auth.userpass.passwords import Hasher
from strongroom.sdk.errors import InvalidRequest, PermissionDenied
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

INVALID = "invalid username or password"


@dataclass(frozen=True)
class LoginArgs:
    username: str = arg("Username; case-insensitive.")
    password: str | None = arg("The user's password.", "", sensitive=True)


def path_login(store: UserStore, hasher: Hasher) -> Path[LoginArgs]:
    def login(request: Request, args: LoginArgs) -> Response:
        if not args.password:
            raise InvalidRequest("missing password")
        username = normalise(args.username)
        user = store.get(username)
        matched = hasher.verify(args.password, user.password_hash if user else None)
        if user is None or not matched:
            raise InvalidRequest(INVALID)
        if user.token.bound_cidrs and not remote_addr_allowed(request.remote_addr, user.token.bound_cidrs):
            raise PermissionDenied()
        grant = user.token.grant(display_name=username, alias_name=username, metadata={"username": username})
        return Response(auth=grant)

    return Path(
        rf"login/(?P<username>{NAME_PATTERN})",
        LoginArgs,
        operations={Operation.UPDATE: login},
        synopsis="Log in with a username and password.",
    )
