"""`export/<type>/<name>[/<version>]`, `backup/<name>`, `restore[/<name>]`: key material leaving and returning,
only where the key allows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.common import NAME
from strongroom.keys import KeyService
from strongroom.keys.export import backup, export_keys, restore
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class ExportArgs:
    type: str = arg("encryption-key, signing-key, hmac-key or public-key.")
    name: str = arg("Name of the key.")
    version: str = arg("A version number, vN or latest; empty exports every version.", default="")
    format: str = arg("'' (default), raw, der or pem.", default="")


@dataclass(frozen=True)
class BackupArgs:
    name: str = arg("Name of the key.")


@dataclass(frozen=True)
class RestoreArgs:
    backup: str = arg("The backup string returned by backup/<name>.", sensitive=True, default="")
    name: str = arg("Restore under this name instead of the one in the backup.", default="")
    force: bool = arg("Overwrite a key of the same name.", default=False)


def paths_export(service: KeyService) -> list[Path[Any]]:
    def export(request: Request, args: ExportArgs) -> Response:
        ring = service.get(args.name)
        if ring is None:
            raise NotFound()
        keys = export_keys(ring, args.type, args.format, args.version)
        return Response(data={"name": args.name, "type": ring.key.type, "keys": keys})

    def take_backup(request: Request, args: BackupArgs) -> Response:
        return Response(data={"backup": backup(service, args.name)})

    def put_backup(request: Request, args: RestoreArgs) -> Response:
        if not args.backup:
            raise InvalidRequest("'backup' must be supplied")
        restore(service, args.backup, args.name, force=args.force)
        return Response()

    return [
        Path(f"export/(?P<type>[\\w-]+)/{NAME}(?:/(?P<version>[\\w-]+))?", ExportArgs,
             operations={Operation.READ: export}, synopsis="Export a named key's material (if exportable)."),
        Path(f"backup/{NAME}", BackupArgs, operations={Operation.READ: take_backup},
             synopsis="Back up a named key in plaintext (if allowed)."),
        Path(f"restore(?:/{NAME})?", RestoreArgs, operations={Operation.UPDATE: put_backup},
             synopsis="Restore a key from a backup."),
    ]
