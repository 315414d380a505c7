"""`config/keys` (disable_upsert) and `cache-config` (accepted for compatibility; the cache is unbounded
per process and validated against storage on every use)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.settings import Settings
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class KeysConfigArgs:
    disable_upsert: bool | None = arg("Refuse to create keys on encrypt.", default=None)


@dataclass(frozen=True)
class CacheConfigArgs:
    size: int = arg("Cache size; 0 means unbounded, else at least 10.", default=0)


def paths_config(settings: Settings) -> list[Path[Any]]:
    def read_keys_config(request: Request, args: KeysConfigArgs) -> Response:
        return Response(data=settings.read())

    def write_keys_config(request: Request, args: KeysConfigArgs) -> Response:
        if args.disable_upsert is not None:
            settings.write(args.disable_upsert)
        return Response(data=settings.read())

    def read_cache(request: Request, args: CacheConfigArgs) -> Response:
        return Response(data={"size": 0})

    def write_cache(request: Request, args: CacheConfigArgs) -> Response:
        if args.size != 0 and args.size < 10:
            raise InvalidRequest("size must be 0 or a value greater or equal to 10")
        return Response(data={"size": args.size}, warnings=["cache configurations will be applied when this "
                                                           "backend is restarted"])

    return [
        Path("config/keys", KeysConfigArgs, operations={Operation.READ: read_keys_config,
                                                         Operation.UPDATE: write_keys_config},
             synopsis="Mount-wide key settings."),
        Path("cache-config", CacheConfigArgs, operations={Operation.READ: read_cache, Operation.UPDATE: write_cache},
             synopsis="Key cache settings (compatibility)."),
    ]
