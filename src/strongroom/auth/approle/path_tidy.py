"""tidy/secret-id: remove expired secret IDs and dangling index entries."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.approle.store import AppRoleStore
from strongroom.sdk.clock import Clock
from strongroom.sdk.framework import Path
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

STARTED = (
    "Tidy operation successfully started. Any information from the operation will be printed to the server's logs."
)


@dataclass(frozen=True)
class NoArgs:
    pass


def path_tidy(store: AppRoleStore, clock: Clock) -> Path[NoArgs]:
    def tidy(request: Request, args: NoArgs) -> Response:
        # Vault tidies in the background and answers 202; ours is quick enough to finish first.
        store.tidy(clock.now())
        return Response(warnings=[STARTED], status=202)

    return Path(
        r"tidy/secret-id", NoArgs, operations={Operation.UPDATE: tidy},
        synopsis="Trigger the clean-up of expired secret IDs.",
    )
