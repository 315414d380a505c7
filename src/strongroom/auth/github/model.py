"""Stored records of a github mount.

    config            Config (organisation, its id once learned, API base URL, token settings)
    map/teams/<name>  policies for a team name or slug (lower-cased, percent-encoded)
    map/users/<name>  policies for a user login (lower-cased, percent-encoded)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import orjson

from strongroom.auth.tokenfields import TokenParams
from strongroom.sdk.storage import Storage

DEFAULT_BASE_URL = "https://api.github.com/"


@dataclass(frozen=True)
class Config:
    organization: str
    organization_id: int = 0
    base_url: str = ""
    token: TokenParams = field(default_factory=TokenParams)

    @property
    def api_url(self) -> str:
        base = self.base_url or DEFAULT_BASE_URL
        return base if base.endswith("/") else base + "/"

    def to_data(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "organization_id": self.organization_id,
            "base_url": self.base_url,
            **self.token.to_data(),
        }

    def to_json(self) -> dict[str, Any]:
        return {"organization": self.organization, "organization_id": self.organization_id,
                "base_url": self.base_url, "token": self.token.to_json()}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Config:
        return cls(organization=str(raw["organization"]), organization_id=int(raw.get("organization_id", 0)),
                   base_url=str(raw.get("base_url", "")), token=TokenParams.from_json(raw.get("token", {})))


class GitHubStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def config(self) -> Config | None:
        raw = self._storage.get("config")
        return None if raw is None else Config.from_json(orjson.loads(raw))

    def modify_config(self, change: Callable[[Config | None], Config]) -> Config:
        """Store `change(current config, or None)` in one atomic storage step, so that two partial updates in
        two worker processes never undo each other; returns what was stored. `change` may raise to write
        nothing."""
        stored = self._storage.update("config", lambda raw: orjson.dumps(
            change(None if raw is None else Config.from_json(orjson.loads(raw))).to_json()))
        assert stored is not None
        return Config.from_json(orjson.loads(stored))

    @staticmethod
    def _key(kind: str, name: str) -> str:
        return f"map/{kind}/{quote(name.lower(), safe='')}"

    def policies(self, kind: str, name: str) -> tuple[str, ...] | None:
        raw = self._storage.get(self._key(kind, name))
        return None if raw is None else tuple(orjson.loads(raw))

    def put_policies(self, kind: str, name: str, policies: tuple[str, ...]) -> None:
        self._storage.put(self._key(kind, name), orjson.dumps(list(policies)))

    def delete_policies(self, kind: str, name: str) -> None:
        self._storage.delete(self._key(kind, name))

    def names(self, kind: str) -> list[str]:
        return [unquote(key) for key in self._storage.list(f"map/{kind}/") if not key.endswith("/")]
