"""The ASGI application: reads the request within limits, calls the core, writes Vault's wire format.

Order of checks, all before authentication: path canonical, method known, body within max_request_size
(413), JSON well-formed within depth and size limits (400). Everything else is the core's job.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qsl

import orjson

from strongroom.core.core import Core
from strongroom.crypto.random import new_uuid
from strongroom.http import sealed
from strongroom.http.errors import messages_for, status_for
from strongroom.http.translate import (
    JSON,
    check_canonical,
    operation_for,
    parse_body,
    render,
    token_from,
    wrap_ttl,
)
from strongroom.sdk.errors import RateLimited, RequestTooLarge, StrongroomError, UnsupportedPath
from strongroom.sdk.request import Operation, Request

log = logging.getLogger("strongroom.http")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_REQUEST_SIZE = 32 * 1024 * 1024
# Reads (and writes to paths marked `inline`, which seldom touch storage) are served on the event loop; the
# rest runs on a thread, so that concurrent writes wait for the storage's group commit together instead of one
# fsync after another (Core.runs_inline decides).
_BASE_HEADERS = [(b"content-type", JSON.encode()), (b"cache-control", b"no-store"),
                 (b"strict-transport-security", b"max-age=31536000; includeSubDomains")]


class VaultApp:
    def __init__(self, core: Core, *, max_request_size: int = DEFAULT_MAX_REQUEST_SIZE,
                 tick_interval: float = 1.0, kms: ASGIApp | None = None) -> None:
        self.core = core
        self.kms = kms  # the AWS KMS API (POST /), injected by the server: http does not import kms
        self.max_request_size = max_request_size
        self.tick_interval = tick_interval
        self._ticker: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=32, thread_name_prefix="request")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            if self.kms is not None and scope["path"] == "/" and scope["method"] == "POST":
                await self.kms(scope, receive, send)
                return
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._ticker = asyncio.create_task(self._tick_forever())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._ticker is not None:
                    self._ticker.cancel()
                self._executor.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.tick_interval)
            try:
                # On a thread: revoking a burst of expired leases or generating a rotated key takes seconds,
                # and the event loop must keep serving meanwhile.
                await asyncio.get_running_loop().run_in_executor(self._executor, self.core.tick)
            except Exception:
                log.error("periodic work failed: %s", traceback.format_exc(limit=3).splitlines()[-1].split(":")[0])

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_request_size:
                raise RequestTooLarge("http: request body too large")
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_request_size:
                raise RequestTooLarge("http: request body too large")
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = new_uuid()
        extra: list[tuple[bytes, bytes]] = []
        try:
            status, body, added = await self._serve(scope, receive, request_id)
            extra.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in added.items())
        except StrongroomError as exc:
            status, body = status_for(exc), orjson.dumps({"errors": messages_for(exc)})
            if isinstance(exc, RateLimited):
                extra.append((b"retry-after", str(exc.retry_after).encode()))
                extra.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in exc.headers.items())
        except Exception as exc:
            # Only the exception type and location are logged: a message could quote request data.
            frames = traceback.extract_tb(exc.__traceback__)[-3:]
            where = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in frames)
            log.error("internal error %s at %s", type(exc).__name__, where)
            status, body = 500, orjson.dumps({"errors": ["internal error"]})
        if scope["method"] == "HEAD" or status == 204:
            body = b""
        headers = [*_BASE_HEADERS, *extra, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _serve(self, scope: Scope, receive: Receive, request_id: str) -> tuple[int, bytes, dict[str, str]]:
        """Status, body and the extra headers the core asked for (rate-limit quota headers)."""
        check_canonical(scope.get("raw_path") or scope["path"].encode())
        path: str = scope["path"]
        if not path.startswith("/v1/"):
            raise UnsupportedPath("unsupported path")
        path = path[4:]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        method = scope["method"]
        if method == "HEAD" and path == "sys/health":
            method = "GET"
        content_type = headers.get("content-type", "")
        operation = operation_for(method, query, content_type, headers.get("x-strongroom-list") == "true")
        body = await self._read_body(scope, receive)
        data = parse_body(body, content_type) if operation is not Operation.READ else {}
        if operation in (Operation.READ, Operation.LIST, Operation.HELP):
            data = {**{k: v for k, v in query.items() if k not in ("list", "help")}, **data}
        if path.rstrip("/") in sealed.PATHS:
            return (*sealed.serve(self.core, path.rstrip("/"), operation, data), {})
        if path == "sys/seal" and self.core.sealed:
            return 204, b"", {}  # sealing a sealed server is a no-op, as in Vault
        if operation is Operation.LIST and not path.endswith("/"):
            path += "/"  # Vault lists directories: "LIST kv/data" is "LIST kv/data/"
        client = scope.get("client") or ("", 0)
        request = Request(
            operation=operation, path=path, data=data, id=request_id, client_token=token_from(headers),
            headers=headers, remote_addr=str(client[0]), wrap_ttl=wrap_ttl(headers.get("x-vault-wrap-ttl")),
        )
        if self.core.runs_inline(request):
            response = self.core.handle(request)
        else:
            response = await asyncio.get_running_loop().run_in_executor(self._executor, self.core.handle, request)
        return (*render(response, request_id), response.headers or {})


def create_app(core: Core, **kwargs: Any) -> VaultApp:
    return VaultApp(core, **kwargs)

