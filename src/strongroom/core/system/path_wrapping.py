"""sys/wrapping/wrap, unwrap, lookup and rewrap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core import wrapping
from strongroom.sdk.errors import InvalidRequest, PermissionDenied
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class WrapArgs:
    """The body is the data to wrap."""


@dataclass(frozen=True)
class TokenArgs:
    token: str = arg("The wrapping token.", "", sensitive=True)


def paths(core: Core) -> list[Path[Any]]:
    def wrap(request: Request, args: WrapArgs) -> Response:
        if not request.wrap_ttl:
            raise InvalidRequest("endpoint requires response wrapping to be used")
        return Response(data=dict(request.data))

    def token_of(request: Request, args: TokenArgs) -> str:
        token = args.token or request.client_token
        if not token:
            raise PermissionDenied()
        return token

    def unwrap(request: Request, args: TokenArgs) -> Response:
        return wrapping.unwrap(core, token_of(request, args))

    def lookup(request: Request, args: TokenArgs) -> Response:
        if not args.token:
            raise InvalidRequest("missing token")
        return Response(data=wrapping.lookup(core, args.token))

    def rewrap(request: Request, args: TokenArgs) -> Response:
        return wrapping.rewrap(core, token_of(request, args), request)

    return [
        Path("wrapping/wrap", WrapArgs, {Operation.UPDATE: wrap}, synopsis="Wrap arbitrary data.",
             strict_fields=False),
        Path("wrapping/unwrap", TokenArgs, {Operation.UPDATE: unwrap}, synopsis="Unwrap a wrapping token once."),
        Path("wrapping/lookup", TokenArgs, {Operation.UPDATE: lookup, Operation.READ: lookup},
             synopsis="Look up a wrapping token's properties."),
        Path("wrapping/rewrap", TokenArgs, {Operation.UPDATE: rewrap},
             synopsis="Replace a wrapping token with a new one."),
    ]
