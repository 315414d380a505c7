"""The four GitHub REST calls a login makes, with the user's token, and Link-header pagination.

Pagination follows `rel="next"` links only while they stay on the configured API's origin and path prefix (a
GitHub Enterprise server cannot steer us elsewhere), and stops after `MAX_PAGES` pages. Errors name the call
and the status, never the token or the response body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from strongroom.auth.jwt.outbound import Outbound, OutboundError
from strongroom.sdk.errors import InvalidRequest

MAX_PAGES = 50
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass(frozen=True)
class Team:
    name: str
    slug: str
    org_id: int


class GitHubApi:
    def __init__(self, outbound: Outbound, base_url: str, token: str) -> None:
        self._outbound = outbound
        self._base = base_url
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }

    def _get(self, url: str, what: str) -> tuple[Any, str | None]:
        try:
            reply = self._outbound.request("GET", url, headers=self._headers)
        except OutboundError as exc:
            raise InvalidRequest(f"GET {what} failed: {exc}") from None
        if reply.status != 200:
            raise InvalidRequest(f"GET {what} failed: status {reply.status}")
        try:
            body = reply.json()
        except OutboundError as exc:
            raise InvalidRequest(f"GET {what} failed: {exc}") from None
        link = reply.headers.get("link") or reply.headers.get("Link") or ""
        found = _NEXT.search(link)
        return body, found.group(1) if found else None

    def _same_api(self, url: str) -> bool:
        base, other = urlsplit(self._base), urlsplit(url)
        return (other.scheme, other.netloc) == (base.scheme, base.netloc) and other.path.startswith(base.path)

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        url: str | None = self._base + path
        for _ in range(MAX_PAGES):
            if url is None:
                return
            body, url = self._get(url, "/" + path.split("?")[0])
            if not isinstance(body, list):
                raise InvalidRequest(f"GET /{path.split('?')[0]} failed: unexpected answer")
            yield from (item for item in body if isinstance(item, dict))
            if url is not None and not self._same_api(url):
                raise InvalidRequest(f"GET /{path.split('?')[0]} failed: pagination left the API")

    def user_login(self) -> str:
        body, _ = self._get(self._base + "user", "/user")
        login = body.get("login") if isinstance(body, dict) else None
        if not isinstance(login, str) or not login:
            raise InvalidRequest("GET /user failed: no login in the answer")
        return login

    def organization_id(self, organization: str) -> int:
        body, _ = self._get(self._base + "orgs/" + organization, "/orgs/<organization>")
        org_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(org_id, int) or isinstance(org_id, bool) or org_id <= 0:
            raise InvalidRequest("GET /orgs/<organization> failed: no id in the answer")
        return org_id

    def organizations(self) -> list[tuple[int, str]]:
        """(id, login) of every organisation the user belongs to."""
        return [(int(o["id"]), str(o.get("login", ""))) for o in self._pages("user/orgs?per_page=100")
                if isinstance(o.get("id"), int)]

    def teams(self) -> list[Team]:
        teams = []
        for t in self._pages("user/teams?per_page=100"):
            org = t.get("organization")
            org_id = org.get("id") if isinstance(org, dict) else None
            if isinstance(org_id, int) and isinstance(t.get("name"), str):
                teams.append(Team(name=t["name"], slug=str(t.get("slug") or ""), org_id=org_id))
        return teams
