"""Storage of a jwt/oidc mount.

    config                       Config
    role/<name>                  Role (names are lower-cased)
    oidc_state/<sha256(state)>   PendingLogin (the state itself is never stored: a storage reader cannot
                                 complete someone else's login with it)

Pending logins live in storage, not in memory, so an auth_url served by one worker process and a callback
served by another meet. `take_pending` takes the entry (read and removed in one atomic storage step): a
state is good once, even when two worker processes receive the same callback.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import orjson

from strongroom.auth.jwt.model import Config, PendingLogin, Role
from strongroom.sdk.storage import Storage

_CONFIG = "config"
_ROLE = "role/"
_STATE = "oidc_state/"


class JwtStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.lock = threading.RLock()

    def config(self) -> Config | None:
        raw = self._storage.get(_CONFIG)
        return None if raw is None else Config.from_json(orjson.loads(raw))

    def put_config(self, config: Config) -> None:
        self._storage.put(_CONFIG, orjson.dumps(config.to_json()))

    def role(self, name: str) -> Role | None:
        raw = self._storage.get(_ROLE + name.lower())
        return None if raw is None else Role.from_json(orjson.loads(raw))

    def modify_role(self, name: str, change: Callable[[Role | None], Role]) -> None:
        """Store `change(current role, or None)` in one atomic storage step, so that two changes of one role
        in two worker processes (Terraform writes in parallel) never undo each other. `change` may raise to
        write nothing."""
        self._storage.update(_ROLE + name.lower(), lambda raw: orjson.dumps(
            change(None if raw is None else Role.from_json(orjson.loads(raw))).to_json()))

    def delete_role(self, name: str) -> None:
        self._storage.delete(_ROLE + name.lower())

    def role_names(self) -> list[str]:
        return [key for key in self._storage.list(_ROLE) if not key.endswith("/")]

    @staticmethod
    def _state_key(state: str) -> str:
        return _STATE + hashlib.sha256(state.encode()).hexdigest()

    def put_pending(self, state: str, pending: PendingLogin) -> None:
        self._storage.put(self._state_key(state), orjson.dumps(pending.to_json()))

    def take_pending(self, state: str, now: float) -> PendingLogin | None:
        """The pending login for `state`, removed; None when unknown or expired."""
        raw = self._storage.take(self._state_key(state))
        if raw is None:
            return None
        pending = PendingLogin.from_json(orjson.loads(raw))
        return pending if pending.expires > now else None

    def tidy_pending(self, now: float) -> int:
        """Drop expired pending logins; returns how many went."""
        removed = 0
        for name in self._storage.list(_STATE):
            raw = self._storage.get(_STATE + name)
            if raw is not None and PendingLogin.from_json(orjson.loads(raw)).expires <= now:
                self._storage.delete(_STATE + name)
                removed += 1
        return removed
