"""The quota manager: rules in the barrier, an index in memory, and the check the core runs per request.

`active` is False while no rule exists, so the core skips the check with one attribute read. The most
specific rule wins, as in Vault: a role rule (logins on an auth mount with that role), then the exact path
below the mount, then the longest `prefix*` rule, then the mount's rule, then the global one (path "").
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from strongroom.core.quotas.buckets import Buckets, Decision
from strongroom.core.quotas.model import QuotaConfig, RateLimitQuota
from strongroom.crypto.random import new_uuid
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import RateLimited
from strongroom.sdk.storage import Storage

_RULES = "rate-limit/"
_CONFIG = "config"
_GENERATION = "generation"


class QuotaManager:
    """Storage layout below the view: `config`, `rate-limit/<name>` per rule, and `generation`, a value
    rewritten after every change so that a process told of a sibling's commit (which happens on every write
    anywhere) re-reads the rules only when they did change: one point read otherwise."""

    def __init__(self, storage: Storage, clock: Clock, buckets: Buckets) -> None:
        self.storage = storage
        self.clock = clock
        self.buckets = buckets
        self.config = QuotaConfig()
        self.active = False
        self._by_place: dict[tuple[str, str], RateLimitQuota] = {}
        self._by_role: dict[tuple[str, str], RateLimitQuota] = {}
        self._role_mounts: frozenset[str] = frozenset()
        self._lock = threading.Lock()
        self._generation: bytes | None = b""

    # --- rules and configuration ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Another process committed something: reload if that was a quota change."""
        if self.storage.get(_GENERATION) != self._generation:
            self.load()

    def load(self) -> None:
        """(Re)read the rules and configuration (at unseal, and after a change)."""
        generation = self.storage.get(_GENERATION)
        raw = self.storage.get(_CONFIG)
        config = QuotaConfig() if raw is None else QuotaConfig.load(raw)
        rules = [self.get(name) for name in self.names()]
        by_place: dict[tuple[str, str], RateLimitQuota] = {}
        by_role: dict[tuple[str, str], RateLimitQuota] = {}
        for rule in rules:
            if rule is not None:
                (by_role if rule.role else by_place)[(rule.mount, rule.role or rule.suffix)] = rule
        with self._lock:
            self.config, self._by_place, self._by_role = config, by_place, by_role
            self._role_mounts = frozenset(mount for mount, _ in by_role)
            self.active = bool(by_place or by_role)
            self._generation = generation

    def names(self) -> list[str]:
        return [name for name in self.storage.list(_RULES) if not name.endswith("/")]

    def get(self, name: str) -> RateLimitQuota | None:
        raw = self.storage.get(_RULES + name)
        return None if raw is None else RateLimitQuota.load(raw)

    def conflict(self, rule: RateLimitQuota) -> RateLimitQuota | None:
        """Another rule with the same place (mount, suffix or role), which Vault refuses."""
        index = self._by_role if rule.role else self._by_place
        other = index.get((rule.mount, rule.role or rule.suffix))
        return other if other is not None and other.name != rule.name else None

    def _changed(self) -> None:
        self.storage.put(_GENERATION, new_uuid().encode())
        self.load()

    def put(self, rule: RateLimitQuota) -> None:
        self.storage.put(_RULES + rule.name, rule.dump())
        self._changed()

    def delete(self, name: str) -> None:
        self.storage.delete(_RULES + name)
        self._changed()

    def forget_mount(self, mount: str) -> None:
        """A mount was disabled: its rules go with it (as Vault drops them), so a new mount at the same path
        starts unlimited."""
        doomed = [rule.name for rule in [*self._by_place.values(), *self._by_role.values()] if rule.mount == mount]
        for name in doomed:
            self.storage.delete(_RULES + name)
        if doomed:
            self._changed()

    def set_config(self, config: QuotaConfig) -> None:
        self.storage.put(_CONFIG, config.dump())
        self._changed()

    # --- the check ---------------------------------------------------------------------------------------
    def find(self, mount: str, rest: str, role: Callable[[], str] | None) -> RateLimitQuota | None:
        """The rule that governs a request to `rest` below `mount`; `role` names a login's role, if any."""
        if role is not None and mount in self._role_mounts:
            name = role()
            if name and (mount, name) in self._by_role:
                return self._by_role[(mount, name)]
        by_place = self._by_place
        suffix = rest.rstrip("/")
        found = by_place.get((mount, suffix)) if suffix else None
        for cut in range(len(suffix), -1, -1):
            if found is not None:
                break
            found = by_place.get((mount, suffix[:cut] + "*"))
        return found or by_place.get((mount, "")) or by_place.get(("", ""))

    def check(self, full_path: str, mount: str, rest: str, client: str,
              role: Callable[[], str] | None = None) -> dict[str, str]:
        """Spend a token for this request; raises RateLimited when its rule refuses. Returns the headers to
        add to the response (empty unless the operator enabled them)."""
        config = self.config
        if config.exempt(full_path):
            return {}
        rule = self.find(mount, rest, role)
        if rule is None:
            return {}
        decision = self.buckets.take(f"{rule.id}|{client}", rule.limit, rule.interval, rule.block_interval,
                                     self.clock.now())
        headers = _headers(decision) if config.enable_rate_limit_response_headers else {}
        if not decision.allowed:
            raise RateLimited(f'request path "{full_path}": rate limit quota exceeded', decision.retry_after,
                              headers)
        return headers

    @property
    def audit_refusals(self) -> bool:
        return self.config.enable_rate_limit_audit_logging


def _headers(decision: Decision) -> dict[str, str]:
    return {"X-Ratelimit-Limit": str(decision.limit), "X-Ratelimit-Remaining": str(decision.remaining),
            "X-Ratelimit-Reset": str(decision.reset)}
