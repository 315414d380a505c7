"""A kind of leased secret an engine hands out, and how to renew and revoke it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RevokeFn = Callable[[Mapping[str, Any]], None]
RenewFn = Callable[[Mapping[str, Any], int], int]


@dataclass(frozen=True, slots=True)
class SecretType:
    """`revoke(internal)` must be idempotent: the expiration manager retries it after failures.
    `renew(internal, requested_ttl)` returns the granted TTL; None means the secret is not renewable."""

    name: str
    revoke: RevokeFn
    renew: RenewFn | None = None
    default_ttl: int = 0
