"""The stored form of a token. The token string itself is never stored: `id` is its keyed hash."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

from strongroom.sdk.clock import rfc3339


@dataclass(frozen=True)
class TokenEntry:
    id: str
    accessor: str
    policies: tuple[str, ...]
    path: str
    creation_time: float
    ttl: int
    expire_time: float  # 0: never
    parent: str = ""
    display_name: str = "token"
    meta: dict[str, str] = field(default_factory=dict)
    num_uses: int = 0
    explicit_max_ttl: int = 0
    period: int = 0
    renewable: bool = True
    type: str = "service"
    entity_id: str = ""
    bound_cidrs: tuple[str, ...] = ()
    role: str = ""
    mount_accessor: str = ""
    no_default_policy: bool = False

    @property
    def orphan(self) -> bool:
        return not self.parent

    @property
    def is_root(self) -> bool:
        return "root" in self.policies

    def serialize(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def deserialize(cls, data: bytes) -> TokenEntry:
        raw = orjson.loads(data)
        raw["policies"] = tuple(raw["policies"])
        raw["bound_cidrs"] = tuple(raw.get("bound_cidrs", ()))
        return cls(**raw)

    def with_(self, **changes: Any) -> TokenEntry:
        return replace(self, **changes)

    def lookup_data(self, now: float, token: str = "") -> dict[str, Any]:
        """The auth/token/lookup* shape; `token` is echoed as `id` only when the caller supplied it."""
        remaining = max(0, int(self.expire_time - now)) if self.expire_time else 0
        return {
            "accessor": self.accessor,
            "creation_time": int(self.creation_time),
            "creation_ttl": self.ttl,
            "display_name": self.display_name,
            "entity_id": self.entity_id,
            "expire_time": rfc3339(self.expire_time) if self.expire_time else None,
            "explicit_max_ttl": self.explicit_max_ttl,
            "id": token,
            "issue_time": rfc3339(self.creation_time),
            "meta": dict(self.meta) or None,
            "num_uses": self.num_uses,
            "orphan": self.orphan,
            "path": self.path,
            "period": self.period or None,
            "policies": list(self.policies),
            "renewable": self.renewable,
            "ttl": remaining,
            "type": self.type,
        }
