"""The mount's settings (`config`): how far a request's date may be from the server's clock."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Storage

DEFAULT_MAX_SKEW = 300
MAX_MAX_SKEW = 900


class SettingsStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._cached: tuple[bytes | None, int] = (None, DEFAULT_MAX_SKEW)

    def max_skew(self) -> int:
        raw = self._storage.get("config")
        if raw is None:
            return DEFAULT_MAX_SKEW
        if raw is not self._cached[0]:
            self._cached = (raw, int(orjson.loads(raw).get("max_skew", DEFAULT_MAX_SKEW)))
        return self._cached[1]

    def set_max_skew(self, seconds: int) -> None:
        self._storage.put("config", orjson.dumps({"max_skew": seconds}))


@dataclass(frozen=True)
class ConfigArgs:
    max_skew: Duration | None = arg("How far (seconds or a duration) a request's X-Amz-Date may be from the "
                                    "server's clock, either way. Default 5m, at most 15m.", default=None)


def path_config(settings: SettingsStore) -> Path[ConfigArgs]:
    def read(request: Request, args: ConfigArgs) -> Response:
        return Response(data={"max_skew": settings.max_skew()})

    def write(request: Request, args: ConfigArgs) -> Response:
        if args.max_skew is not None:
            if not 1 <= args.max_skew <= MAX_MAX_SKEW:
                raise InvalidRequest(f"max_skew must be between 1s and {MAX_MAX_SKEW}s")
            settings.set_max_skew(int(args.max_skew))
        return Response()

    return Path("config", ConfigArgs, operations={Operation.READ: read, Operation.UPDATE: write},
                synopsis="Read or set the allowed clock skew of signed requests.")
