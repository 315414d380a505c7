"""A lease: something handed out with a lifetime (a token, or a secret an engine must revoke)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

TOKEN = "token"
SECRET = "secret"


@dataclass(frozen=True)
class Lease:
    """`mount` is the router path of the engine whose SecretType revokes a secret lease; `token_id` is the
    keyed hash of the owning token (for a token lease, of the token itself)."""

    id: str
    kind: str
    path: str
    token_id: str
    issue_time: float
    expire_time: float
    renewable: bool = False
    max_expire: float = 0.0
    last_renewal: float | None = None
    mount: str = ""
    secret_type: str = ""
    internal: dict[str, Any] = field(default_factory=dict)
    failures: int = 0
    next_attempt: float = 0.0
    irrevocable: str = ""

    def serialize(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def deserialize(cls, data: bytes) -> Lease:
        return cls(**orjson.loads(data))

    def renewed(self, now: float, ttl: int) -> Lease:
        return replace(self, expire_time=now + ttl, last_renewal=now)

    def failed(self, now: float, reason: str, give_up_after: int) -> Lease:
        failures = self.failures + 1
        delay = min(2.0**failures, 300.0)
        return replace(
            self,
            failures=failures,
            next_attempt=now + delay,
            irrevocable=reason if failures >= give_up_after else "",
        )
