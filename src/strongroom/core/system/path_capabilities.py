"""sys/capabilities, capabilities-self, capabilities-accessor, internal/ui/resultant-acl."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core.identity.grants import token_acl
from strongroom.core.policy.acl import ordered
from strongroom.core.system.common import NoArgs, legacy
from strongroom.core.tokens.entry import TokenEntry
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class CapabilitiesArgs:
    token: str = arg("The token to check.", "", sensitive=True)
    accessor: str = arg("The accessor of the token to check.", "")
    path: list[str] = arg("One path (legacy form).", factory=list)
    paths: list[str] = arg("Paths to check.", factory=list)


def paths(core: Core) -> list[Path[Any]]:
    def report(entry: TokenEntry | None, args: CapabilitiesArgs) -> Response:
        if entry is None:
            raise InvalidRequest("invalid token")
        wanted = [*args.paths, *args.path]
        if not wanted:
            raise InvalidRequest("missing paths")
        acl = token_acl(core.policies, core.resolver, entry)
        data: dict[str, Any] = {p: ordered(acl.capabilities(p)) for p in wanted}
        if len(args.path) == 1 and not args.paths:
            data["capabilities"] = data[args.path[0]]
        return legacy(data)

    def for_token(request: Request, args: CapabilitiesArgs) -> Response:
        return report(core.tokens.lookup(args.token), args)

    def for_self(request: Request, args: CapabilitiesArgs) -> Response:
        assert request.caller is not None
        return report(core.tokens.get_by_id(request.caller.token_id), args)

    def for_accessor(request: Request, args: CapabilitiesArgs) -> Response:
        return report(core.tokens.by_accessor(args.accessor), args)

    def resultant(request: Request, args: NoArgs) -> Response:
        assert request.caller is not None
        entry = core.tokens.get_by_id(request.caller.token_id)
        acl = core.policies.acl_for(request.caller.policies) if entry is None else token_acl(
            core.policies, core.resolver, entry)
        return Response(data={
            "exact_paths": {p: {"capabilities": ordered(r.capabilities)} for p, r in acl.exact_paths.items()},
            "glob_paths": {p: {"capabilities": ordered(r.capabilities)} for p, r in acl.glob_paths.items()},
            "root": acl.is_root,
        })

    return [
        Path("capabilities", CapabilitiesArgs, {Operation.UPDATE: for_token}, synopsis="A token's capabilities."),
        Path("capabilities-self", CapabilitiesArgs, {Operation.UPDATE: for_self},
             synopsis="The calling token's capabilities."),
        Path("capabilities-accessor", CapabilitiesArgs, {Operation.UPDATE: for_accessor},
             synopsis="Capabilities of the token with an accessor."),
        Path("internal/ui/resultant-acl", NoArgs, {Operation.READ: resultant},
             synopsis="The caller's merged ACL."),
    ]
