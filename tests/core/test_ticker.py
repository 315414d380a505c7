"""The server's once-a-second work (lease expiry, engines' periodic work) runs off the event loop: a burst of
expired leases or a slow key generation must not stop the worker from answering requests meanwhile. Drives the
real ASGI app over the real in-process core, with the core's tick made to take as long as the test wants."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import MutableMapping
from typing import Any

import orjson
import pytest

from corefixture import CoreFixture
from strongroom.http.app import VaultApp


async def _get(app: VaultApp, path: str, token: str) -> tuple[int, dict[str, Any]]:
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"x-vault-token", token.encode())], "client": ("127.0.0.1", 1)}
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], orjson.loads(sent[1]["body"] or b"{}")


def test_requests_are_answered_while_the_periodic_work_runs(cf: CoreFixture,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ticking, release = threading.Event(), threading.Event()
    answered_during_tick: list[bool] = []

    def slow_tick() -> None:
        ticking.set()
        release.wait(3)  # long enough to fail clearly if the loop is blocked, short enough not to hang
        ticking.clear()

    monkeypatch.setattr(cf.core, "tick", slow_tick)

    async def scenario() -> None:
        app = VaultApp(cf.core, tick_interval=0.01)
        lifespan: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await lifespan.put({"type": "lifespan.startup"})

        async def ignore(message: MutableMapping[str, Any]) -> None:
            return None

        server = asyncio.create_task(app({"type": "lifespan"}, lifespan.get, ignore))
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, ticking.wait, 5)
        status, body = await _get(app, "/v1/auth/token/lookup-self", cf.root)
        answered_during_tick.append(ticking.is_set())
        release.set()
        assert status == 200 and body["data"]["policies"] == ["root"]
        await lifespan.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(server, 10)

    asyncio.run(scenario())
    assert answered_during_tick == [True]
