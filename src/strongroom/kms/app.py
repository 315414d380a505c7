"""The AWS KMS JSON 1.1 API as an ASGI app: `POST /` with `X-Amz-Target: TrentService.<Operation>` and an
`application/x-amz-json-1.1` body.

Order for every request: method and path, target header, body within `max_body`, SigV4 (the sigv4 auth method
checks it and the caller gets a token; `x-amz-target` must be among the signed headers so a captured request
cannot be replayed as another operation), content type and JSON, then the action, which turns into ordinary
requests on the transit mount through `Core.handle`. Errors are AWS's `{"__type", "message"}` with the status
of their type; every response carries `x-amzn-RequestId`.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson

from strongroom.core.core import Core
from strongroom.crypto.hashing import sha256
from strongroom.crypto.random import new_uuid
from strongroom.kms.actions import ACTIONS
from strongroom.kms.context import Context
from strongroom.kms.errors import (
    AccessDeniedError,
    InternalError,
    KmsError,
    SerializationError,
    UnknownOperationError,
    ValidationError,
    from_strongroom,
)
from strongroom.kms.gateway import Gateway
from strongroom.kms.identifiers import Arns
from strongroom.kms.identity import Authenticator, Identity
from strongroom.kms.provision import ensure_mounts
from strongroom.kms.settings import KmsSettings
from strongroom.sdk.clock import Clock, SystemClock
from strongroom.sdk.errors import StrongroomError

log = logging.getLogger("strongroom.kms")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "TrentService."


class KmsApp:
    def __init__(self, core: Core, settings: KmsSettings | None = None, *, clock: Clock | None = None) -> None:
        self.core = core
        self.settings = settings or KmsSettings()
        self.clock = clock or SystemClock()
        self.auth = Authenticator(core, self.settings, self.clock)
        self._executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="kms")
        self._provisioned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        request_id = new_uuid()
        headers = [(b"content-type", CONTENT_TYPE.encode()), (b"x-amzn-requestid", request_id.encode())]
        try:
            status, body = 200, await self._serve(scope, receive)
        except KmsError as exc:
            status, body = exc.status, _error_body(exc)
            headers.append((b"x-amzn-errortype", exc.code.encode()))
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)[-3:]
            where = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames)
            log.error("internal error %s at %s", type(exc).__name__, where)
            error = InternalError()
            status, body = error.status, _error_body(error)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_body:
                raise ValidationError(f"The request body is larger than {self.settings.max_body} bytes.")
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _serve(self, scope: Scope, receive: Receive) -> bytes:
        if scope["method"] != "POST" or scope["path"] != "/":
            raise UnknownOperationError("The KMS API is served at POST /.")
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]},{value}" if name in headers else value
        target = headers.get("x-amz-target", "")
        body = await self._read_body(scope, receive)
        if not self._provisioned:
            await self._provision()
        client = scope.get("client") or ("", 0)
        identity = self._identify(scope, headers, body, str(client[0]))
        if not target.startswith(TARGET_PREFIX) or "x-amz-target" not in identity.signed_headers:
            raise UnknownOperationError("X-Amz-Target must be a signed header naming TrentService.<Operation>.")
        action = ACTIONS.get(target[len(TARGET_PREFIX):])
        if action is None:
            raise UnknownOperationError(f"Unknown operation {target[:128]}")
        if headers.get("content-type", "").split(";")[0].strip() not in (CONTENT_TYPE, "application/json"):
            raise SerializationError(f"Content-Type must be {CONTENT_TYPE}.")
        try:
            parsed = orjson.loads(body) if body.strip() else {}
        except orjson.JSONDecodeError:
            raise SerializationError("The request body is not valid JSON.") from None
        if not isinstance(parsed, dict):
            raise SerializationError("The request body must be a JSON object.")
        ctx = Context(Gateway(self.core, self.settings, identity.token, str(client[0])),
                      Arns(self.settings.partition, identity.region, self.settings.account_id), self.clock)
        try:
            if action.inline:
                result = action.handler(ctx, parsed)
            else:
                result = await asyncio.get_running_loop().run_in_executor(self._executor, action.handler, ctx, parsed)
        except AccessDeniedError:
            self.auth.forget(identity.access_key_id)
            raise
        except StrongroomError as exc:
            raise from_strongroom(exc) from None
        return orjson.dumps(result) if result else b""

    async def _provision(self) -> None:
        if self.core.sealed:
            return
        await asyncio.get_running_loop().run_in_executor(self._executor, ensure_mounts, self.core, self.settings)
        self._provisioned = True

    def _identify(self, scope: Scope, headers: dict[str, str], body: bytes, remote_addr: str) -> Identity:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        signed = {"method": scope["method"], "path": raw_path.decode("latin-1"),
                  "query": scope.get("query_string", b"").decode("latin-1"), "headers": headers,
                  "body_sha256": sha256(body).hex(), "service": "kms"}
        try:
            return self.auth.identify(signed, remote_addr)
        except StrongroomError as exc:
            raise from_strongroom(exc) from None


def _error_body(exc: KmsError) -> bytes:
    return orjson.dumps({"__type": exc.code, "message": exc.message})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(core: Core, settings: KmsSettings | None = None) -> KmsApp:
    return KmsApp(core, settings)
