from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson
import pytest

from strongroom.auth.jwt import build
from strongroom.auth.jwt.outbound import FetchPolicy
from strongroom.crypto.jose import SigningKey
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.framework.testing import EngineHarness

ISSUER = "https://issuer.example.test"
# Unit tests talk to in-process HTTP servers on loopback, so they allow plain http there.
LOOPBACK_HTTP = FetchPolicy(allow_loopback=True, allow_http=True, timeout=5.0)


def loopback_factory(env: EngineEnv) -> Backend:
    return build(env, LOOPBACK_HTTP)


@pytest.fixture(scope="session")
def rsa_key() -> SigningKey:
    return SigningKey.generate("RS256", "rsa-1")


@pytest.fixture
def jwt_mount() -> EngineHarness:
    return EngineHarness(loopback_factory, mount_path="auth/jwt/")


@dataclass
class Route:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalServer:
    """A small real HTTP server on loopback: path -> canned reply, or a function of the request."""

    url: str
    routes: dict[str, Route | Callable[[str, dict[str, str], bytes], Route]]
    hits: list[tuple[str, str, dict[str, str], bytes]]

    def json(self, path: str, value: Any, status: int = 200) -> None:
        self.routes[path] = Route(status, orjson.dumps(value))

    def count(self, path: str) -> int:
        return sum(1 for _, p, _, _ in self.hits if p.split("?")[0] == path)


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    state = LocalServer(url="", routes={}, hits=[])

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.hits.append((self.command, self.path, headers, body))
            route = state.routes.get(self.path.split("?")[0])
            if callable(route):
                route = route(self.path, headers, body)
            route = route or Route(404, b"{}")
            self.send_response(route.status)
            for name, value in {"Content-Type": "application/json", **route.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
