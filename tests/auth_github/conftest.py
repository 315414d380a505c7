"""A stand-in for the GitHub REST API: a small real HTTP server on loopback.

GitHub itself cannot run here (no network beyond package registries), so this server answers the four routes
the github auth method calls, the way GitHub (and GitHub Enterprise under /api/v3) does: bearer-token
authentication, `per_page`/`page` pagination with Link headers, and 401 {"message": "Bad credentials"}.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from strongroom.auth.github import build
from strongroom.auth.jwt.outbound import FetchPolicy
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.framework.testing import EngineHarness


def team(name: str, slug: str, org_id: int) -> dict[str, Any]:
    return {"name": name, "slug": slug, "id": abs(hash(slug)) % 10_000, "organization": {"id": org_id}}


@dataclass
class FakeGitHub:
    prefix: str = "/api/v3"
    page_cap: int = 100  # GitHub's own maximum page size; tests lower it to force pagination
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # token -> {"login", "orgs", "teams"}
    orgs: dict[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    next_link_override: str = ""
    url: str = ""

    @property
    def base_url(self) -> str:
        return f"{self.url}{self.prefix}/"

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.split("?")[0] == self.prefix + path)

    def answer(self, path: str, query: dict[str, list[str]], auth: str) -> tuple[int, Any, dict[str, str]]:
        if not path.startswith(self.prefix + "/"):
            return 404, {"message": "Not Found"}, {}
        route = path[len(self.prefix):]
        user = self.users.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
        if user is None:
            return 401, {"message": "Bad credentials"}, {}
        if route == "/user":
            return 200, {"login": user["login"], "id": 1}, {}
        if route.startswith("/orgs/"):
            name = route.removeprefix("/orgs/")
            return (200, {"login": name, "id": self.orgs[name]}, {}) if name in self.orgs else (404, {}, {})
        if route in ("/user/orgs", "/user/teams"):
            items = user["orgs"] if route == "/user/orgs" else user["teams"]
            return self._page(route, items, query)
        return 404, {"message": "Not Found"}, {}

    def _page(self, route: str, items: list[Any], query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        size = min(int(query.get("per_page", ["30"])[0]), self.page_cap)
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * size: page * size]
        headers = {}
        if page * size < len(items):
            last = (len(items) + size - 1) // size
            base = f"{self.url}{self.prefix}{route}?per_page={size}"
            nxt = self.next_link_override or f"{base}&page={page + 1}"
            headers["Link"] = f'<{nxt}>; rel="next", <{base}&page={last}>; rel="last"'
        return 200, chunk, headers


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.requests.append(self.path)
            parts = urlsplit(self.path)
            status, body, headers = fake.answer(parts.path, parse_qs(parts.query),
                                                self.headers.get("Authorization", ""))
            raw = orjson.dumps(body)
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def loopback_factory(env: EngineEnv) -> Backend:
    # The stand-in speaks plain http on loopback; production mounts only ever speak https.
    return build(env, FetchPolicy(allow_loopback=True, allow_http=True, timeout=5.0))


@pytest.fixture
def mount() -> EngineHarness:
    return EngineHarness(loopback_factory, mount_path="auth/github/")
