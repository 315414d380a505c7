"""login/<username>: exchange a password for a token.

An unknown user and a wrong password give the same error after the same Argon2id work (CVE-2025-6011 class).
User lockout counts failures by the normalised name, whatever the spelling in the path (CVE-2025-6004 class):
any name is routed here, and one that cannot be a username is an unknown user. A locked user gets the
wrong-password error after the same work, even with the right password."""

from __future__ import annotations

import re
from dataclasses import dataclass

from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.auth.userpass.model import NAME_PATTERN, UserStore, normalise
from strongroom.auth.userpass.passwords import Hasher
from strongroom.sdk.errors import InvalidRequest, PermissionDenied
from strongroom.sdk.framework import LoginGuard, NoLockout, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

INVALID = "invalid username or password"
_NAME = re.compile(NAME_PATTERN)


@dataclass(frozen=True)
class LoginArgs:
    username: str = arg("Username; case-insensitive.")
    password: str | None = arg("The user's password.", "", sensitive=True)


def path_login(store: UserStore, hasher: Hasher, lockout: LoginGuard | None = None) -> Path[LoginArgs]:
    guard = lockout or NoLockout()

    def login(request: Request, args: LoginArgs) -> Response:
        if not args.password:
            raise InvalidRequest("missing password")
        username = normalise(args.username)
        user = store.get(username) if _NAME.fullmatch(username) else None
        matched = hasher.verify(args.password, user.password_hash if user else None)
        if guard.locked(username):
            raise InvalidRequest(INVALID)
        if user is None or not matched:
            guard.failed(username)
            raise InvalidRequest(INVALID)
        if user.token.bound_cidrs and not remote_addr_allowed(request.remote_addr, user.token.bound_cidrs):
            raise PermissionDenied()
        guard.succeeded(username)
        grant = user.token.grant(display_name=username, alias_name=username, metadata={"username": username})
        return Response(auth=grant)

    return Path(
        r"login/(?P<username>[^/]+)",
        LoginArgs,
        operations={Operation.UPDATE: login},
        synopsis="Log in with a username and password.",
    )
