"""`config`: mount-wide KV v2 settings (max_versions, cas_required, delete_version_after)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.engines.kv.model import DELETE_AFTER_DISABLED
from strongroom.engines.kv.store import KvStore, go_duration, parse_signed_duration
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class ConfigArgs:
    max_versions: int | None = arg("The number of versions to keep for each key; 0 means 10.", default=None)
    cas_required: bool | None = arg("If true, every data write must carry the cas option.", default=None)
    delete_version_after: Any = arg(
        "How long a version lives before it is soft-deleted; negative disables it on every key, 0 clears it.",
        default=None,
    )


def path_config(store: KvStore) -> Path[ConfigArgs]:
    def read(request: Request, args: ConfigArgs) -> Response:
        config = store.config()
        return Response(
            data={
                "cas_required": config.cas_required,
                "delete_version_after": go_duration(config.delete_version_after),
                "max_versions": config.max_versions,
            }
        )

    def write(request: Request, args: ConfigArgs) -> Response:
        if args.max_versions is None and args.cas_required is None and args.delete_version_after is None:
            return Response()
        config = store.config()
        if args.max_versions is not None:
            if args.max_versions < 0:
                raise InvalidRequest("max_versions cannot be negative")
            config = replace(config, max_versions=args.max_versions)
        if args.cas_required is not None:
            config = replace(config, cas_required=args.cas_required)
        if args.delete_version_after is not None:
            seconds = parse_signed_duration(args.delete_version_after, "delete_version_after")
            config = replace(config, delete_version_after=max(seconds, DELETE_AFTER_DISABLED))
        store.save_config(config)
        return Response()

    return Path(
        "config",
        ConfigArgs,
        operations={Operation.READ: read, Operation.UPDATE: write},
        synopsis="Configures settings for the KV store.",
        description="Backend-level settings applied to every key: max_versions, cas_required and "
        "delete_version_after.",
    )
