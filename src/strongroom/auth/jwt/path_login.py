"""login: exchange a signed JWT for a token (workloads, CI systems, Kubernetes service accounts).

The signature is checked first, with asymmetric algorithms only (`alg: none` and HS256 over a public key are
refused before any key is used); then issuer, times, audience, subject and bound claims."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.jwt.keysource import KeySource
from strongroom.auth.jwt.login import algorithms, check_claims, grant, load_config, load_role
from strongroom.auth.jwt.store import JwtStore
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class LoginArgs:
    role: str | None = arg("Role to log in against; the config's default_role when omitted.", None)
    jwt: str | None = arg("The signed JWT (compact serialisation).", None, sensitive=True)


def path_login(store: JwtStore, keys: KeySource, clock: Clock) -> Path[LoginArgs]:
    def login(request: Request, args: LoginArgs) -> Response:
        config = load_config(store)
        role = load_role(store, config, args.role)
        if role.role_type != "jwt":
            raise InvalidRequest("role with oidc role_type is not allowed")
        if not args.jwt:
            raise InvalidRequest("missing token")
        claims = keys.verify(args.jwt, config, algorithms(config, oidc=False))
        who = check_claims(claims, config, role, clock.now())
        return Response(auth=grant(role, who, request.remote_addr))

    return Path(r"login", LoginArgs, operations={Operation.UPDATE: login}, synopsis="Log in with a signed JWT.")
