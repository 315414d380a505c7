"""Storage of a jwt/oidc mount.

    config                       Config
    role/<name>                  Role (names are lower-cased)
    oidc_state/<sha256(state)>   PendingLogin (the state itself is never stored: a storage reader cannot
                                 complete someone else's login with it)

Pending logins live in storage, not in memory, so an auth_url served by one worker process and a callback
served by another meet. `take_pending` removes the entry before returning it: a state is good once.
"""

from __future__ import annotations

import hashlib
import threading

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

    def put_role(self, role: Role) -> None:
        self._storage.put(_ROLE + role.name.lower(), orjson.dumps(role.to_json()))

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
        key = self._state_key(state)
        with self.lock:
            raw = self._storage.get(key)
            if raw is None:
                return None
            self._storage.delete(key)
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
