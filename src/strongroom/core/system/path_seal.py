"""sys/init, seal-status, unseal, seal, health, leader, key-status, rotate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core import status
from strongroom.core.system.common import NoArgs, legacy
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.framework import Path
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Raw, Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class FreeArgs:
    """Bodies of these endpoints are read as-is (they predate typed fields)."""


def paths(core: Core) -> list[Path[Any]]:
    def seal_status(request: Request, args: NoArgs) -> Response:
        return Response(raw=Raw(200, status.seal_status(core)))

    def init_read(request: Request, args: FreeArgs) -> Response:
        return Response(raw=Raw(200, {"initialized": core.seal.config() is not None}))

    def init_write(request: Request, args: FreeArgs) -> Response:
        return Response(raw=Raw(200, status.init(core, request.data)))

    def unseal(request: Request, args: FreeArgs) -> Response:
        return Response(raw=Raw(200, status.unseal(core, request.data)))

    def health(request: Request, args: FreeArgs) -> Response:
        code, body = status.health(core, {k: str(v) for k, v in request.data.items()})
        return Response(raw=Raw(code, body))

    def leader(request: Request, args: NoArgs) -> Response:
        return Response(raw=Raw(200, status.leader(core)))

    def seal(request: Request, args: NoArgs) -> Response:
        core.seal_now()
        return Response()

    def key_status(request: Request, args: NoArgs) -> Response:
        term = core.barrier.keyring().active
        return legacy({"term": term.number, "install_time": rfc3339(term.install_time),
                       "encryptions": core.barrier.encryptions})

    def rotate(request: Request, args: NoArgs) -> Response:
        core.barrier.rotate(core.clock.now())
        return Response()

    return [
        Path("seal-status", NoArgs, {Operation.READ: seal_status}, synopsis="Seal state and unseal progress."),
        Path("init", FreeArgs, {Operation.READ: init_read, Operation.UPDATE: init_write},
             synopsis="Initialise a new server.", strict_fields=False),
        Path("unseal", FreeArgs, {Operation.UPDATE: unseal}, synopsis="Submit an unseal key share.",
             strict_fields=False),
        Path("health", FreeArgs, {Operation.READ: health}, synopsis="Health with Vault's status codes.",
             strict_fields=False),
        Path("leader", NoArgs, {Operation.READ: leader}, synopsis="High-availability leader."),
        Path("seal", NoArgs, {Operation.UPDATE: seal}, synopsis="Seal the server (sudo)."),
        Path("key-status", NoArgs, {Operation.READ: key_status}, synopsis="The active encryption key term."),
        Path("rotate", NoArgs, {Operation.UPDATE: rotate}, synopsis="Add a new encryption key term (sudo)."),
        Path("rotate/keyring", NoArgs, {Operation.UPDATE: rotate},
             synopsis="OpenBao 2.x name of sys/rotate, used by `bao operator rotate` (sudo)."),
    ]
