"""sys/locked-users: list the users user lockout holds, and unlock one (Vault 1.13+)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class ListArgs:
    mount_accessor: str = arg("Only the users locked on this auth mount.", "")


@dataclass(frozen=True)
class UnlockArgs:
    mount_accessor: str = arg("Accessor of the auth mount the user belongs to.")
    alias_identifier: str = arg("The user's alias: a userpass username or an approle role_id.")


def paths(core: Core) -> list[Path[Any]]:
    def listing(request: Request, args: ListArgs) -> Response:
        return Response(data=core.lockout.locked_users(args.mount_accessor or None))

    def unlock(request: Request, args: UnlockArgs) -> Response:
        core.lockout.unlock(args.mount_accessor, args.alias_identifier)
        return Response()

    return [
        Path("locked-users/?", ListArgs, {Operation.READ: listing, Operation.LIST: listing},
             synopsis="Report the users locked by user lockout."),
        Path("locked-users/(?P<mount_accessor>[^/]+)/unlock/(?P<alias_identifier>.+)", UnlockArgs,
             {Operation.UPDATE: unlock}, synopsis="Unlock a user locked by user lockout (idempotent)."),
    ]
