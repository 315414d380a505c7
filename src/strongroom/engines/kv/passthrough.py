"""KV v1: the request body is the secret, stored as-is at the request path."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from strongroom.engines.kv.managed import passthrough_values
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Backend, EngineEnv, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

HELP = """The KV v1 engine reads and writes arbitrary secrets. A "ttl" key in a secret is returned as the
lease duration, a hint to readers of how often to refresh it; it never expires the secret."""


@dataclass(frozen=True)
class PassthroughArgs:
    path: str = arg("Location of the secret.")


def check_key(path: str) -> str:
    """Refuse paths that are not canonical storage keys (the HTTP edge rejects them too)."""
    parts = path.split("/")
    if path.startswith("/") or any(part in (".", "..") for part in parts) or "//" in path:
        raise InvalidRequest("invalid path")
    return path


def folder(path: str) -> str:
    return path if not path or path.endswith("/") else path + "/"


def lease_seconds(secret: dict[str, object], default: int) -> int:
    """The secret's own "ttl" (or legacy "lease") if it parses, else the mount default, as Vault does."""
    for name in ("ttl", "lease"):
        if name in secret:
            try:
                return parse_duration(secret[name], name)
            except InvalidRequest:
                return default
    return default


class PassthroughHandlers:
    def __init__(self, env: EngineEnv) -> None:
        self.storage = env.storage
        self.system = env.system

    def exists(self, request: Request, args: PassthroughArgs) -> bool:
        return self.storage.get(check_key(args.path)) is not None

    def read(self, request: Request, args: PassthroughArgs) -> Response:
        raw = self.storage.get(check_key(args.path))
        if raw is None:
            raise NotFound()
        secret = orjson.loads(raw)
        return Response(data=secret, lease_duration=lease_seconds(secret, self.system.default_lease_ttl()))

    def write(self, request: Request, args: PassthroughArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        if not request.data:
            raise InvalidRequest("missing data fields")
        self.storage.put(check_key(args.path), orjson.dumps(dict(request.data)))
        return Response()

    def delete(self, request: Request, args: PassthroughArgs) -> Response:
        self.storage.delete(check_key(args.path))
        return Response()

    def list(self, request: Request, args: PassthroughArgs) -> Response:
        keys = self.storage.list(folder(check_key(args.path)))
        if not keys:
            raise NotFound()
        return Response(data={"keys": keys})


def passthrough_backend(env: EngineEnv) -> Backend:
    handlers = PassthroughHandlers(env)
    path = Path(
        r"(?P<path>.*)",
        PassthroughArgs,
        operations={
            Operation.READ: handlers.read,
            Operation.CREATE: handlers.write,
            Operation.UPDATE: handlers.write,
            Operation.DELETE: handlers.delete,
            Operation.LIST: handlers.list,
        },
        existence_check=handlers.exists,
        strict_fields=False,
        synopsis="Pass-through secret storage: read/write arbitrary data into secret storage.",
        description='A "ttl" field written with a secret becomes the lease_duration of its reads.',
    )
    return Backend([path], help=HELP, managed_values=lambda: passthrough_values(env.storage))
