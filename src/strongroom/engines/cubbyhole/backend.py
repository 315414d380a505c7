"""Cubbyhole: every token sees only the entries stored under its own token id."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from strongroom.sdk.errors import InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.framework import Backend, EngineEnv, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Delete, list_recursive

HELP = """The cubbyhole engine reads and writes arbitrary secrets in a store private to the calling token.
No other token, root included, can see them, and they are removed when the token is revoked."""


@dataclass(frozen=True)
class CubbyArgs:
    path: str = arg("Location of the secret in the caller's cubbyhole.")


def _owner(request: Request) -> str:
    """The storage prefix of the caller's cubbyhole."""
    caller = request.caller
    if caller is None or not caller.token_id or "/" in caller.token_id:
        raise PermissionDenied()
    if caller.token_type == "batch":
        raise InvalidRequest("cubbyhole operations are only supported by service tokens")
    return caller.token_id + "/"


def _key(request: Request, path: str) -> str:
    parts = path.split("/")
    if path.startswith("/") or "//" in path or any(part in (".", "..") for part in parts):
        raise InvalidRequest("invalid path")
    return _owner(request) + path


class CubbyholeBackend(Backend):
    def __init__(self, env: EngineEnv) -> None:
        self.storage = env.storage
        path = Path(
            r"(?P<path>.*)",
            CubbyArgs,
            operations={
                Operation.READ: self._read,
                Operation.CREATE: self._write,
                Operation.UPDATE: self._write,
                Operation.DELETE: self._delete,
                Operation.LIST: self._list,
            },
            existence_check=self._exists,
            strict_fields=False,
            synopsis="Pass-through secret storage to a token-specific cubbyhole.",
        )
        super().__init__([path], help=HELP)

    def _exists(self, request: Request, args: CubbyArgs) -> bool:
        return self.storage.get(_key(request, args.path)) is not None

    def _read(self, request: Request, args: CubbyArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        raw = self.storage.get(_key(request, args.path))
        if raw is None:
            raise NotFound()
        return Response(data=orjson.loads(raw))

    def _write(self, request: Request, args: CubbyArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        if not request.data:
            raise InvalidRequest("missing data fields")
        self.storage.put(_key(request, args.path), orjson.dumps(dict(request.data)))
        return Response()

    def _delete(self, request: Request, args: CubbyArgs) -> Response:
        self.storage.delete(_key(request, args.path))
        return Response()

    def _list(self, request: Request, args: CubbyArgs) -> Response:
        folder = args.path if not args.path or args.path.endswith("/") else args.path + "/"
        keys = self.storage.list(_key(request, folder))
        if not keys:
            raise NotFound()
        return Response(data={"keys": keys})

    def token_revoked(self, token_id: str) -> None:
        if not token_id or "/" in token_id:
            return
        prefix = token_id + "/"
        self.storage.batch([Delete(key) for key in list_recursive(self.storage, prefix)])
