"""Rate-limit quota rules and the quota configuration, as stored below `sys/quotas/` and shown by the API."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

# Vault's default exempt paths (1.5+): the seal and health endpoints stay reachable whatever the quotas.
DEFAULT_EXEMPT_PATHS = (
    "sys/generate-recovery-token/attempt", "sys/generate-recovery-token/update", "sys/generate-root/attempt",
    "sys/generate-root/update", "sys/health", "sys/seal-status", "sys/unseal",
)


@dataclass(frozen=True)
class RateLimitQuota:
    """`mount` is the router path of the mount ("kv1/", "auth/approle/"), empty for a global quota;
    `suffix` is the path below it ("app/ttl", or "app/*" for a prefix), empty for the whole mount.
    `limit` requests per `interval` seconds are allowed per client address; a client that exceeds it is
    refused for `block_interval` seconds when that is set. `id` changes on every write, which starts
    every client's window afresh (as Vault re-creates its limiter)."""

    name: str
    path: str
    mount: str
    suffix: str
    rate: float
    interval: int = 1
    block_interval: int = 0
    role: str = ""
    inheritable: bool = False
    id: str = ""

    @property
    def limit(self) -> int:
        return max(1, round(self.rate))

    def to_api(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path, "type": "rate-limit", "rate": self.rate,
                "interval": self.interval, "block_interval": self.block_interval, "role": self.role,
                "inheritable": self.inheritable}

    def dump(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def load(cls, raw: bytes) -> RateLimitQuota:
        return cls(**orjson.loads(raw))


@dataclass(frozen=True)
class QuotaConfig:
    enable_rate_limit_response_headers: bool = False
    enable_rate_limit_audit_logging: bool = False
    rate_limit_exempt_paths: tuple[str, ...] = field(default=DEFAULT_EXEMPT_PATHS)

    def to_api(self) -> dict[str, Any]:
        return {"enable_rate_limit_response_headers": self.enable_rate_limit_response_headers,
                "enable_rate_limit_audit_logging": self.enable_rate_limit_audit_logging,
                "rate_limit_exempt_paths": list(self.rate_limit_exempt_paths)}

    def dump(self) -> bytes:
        return orjson.dumps(self.to_api())

    @classmethod
    def load(cls, raw: bytes) -> QuotaConfig:
        data = orjson.loads(raw)
        return cls(bool(data.get("enable_rate_limit_response_headers")),
                   bool(data.get("enable_rate_limit_audit_logging")),
                   tuple(data.get("rate_limit_exempt_paths") or ()))

    def exempt(self, path: str) -> bool:
        """Vault's path manager: an entry matches exactly, or as a prefix when it ends with `*`."""
        path = path.rstrip("/")
        for entry in self.rate_limit_exempt_paths:
            if entry.endswith("*") and path.startswith(entry[:-1]):
                return True
            if path == entry.rstrip("/"):
                return True
        return False
