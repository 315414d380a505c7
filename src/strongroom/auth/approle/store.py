"""AppRole storage. Secret IDs appear only as HMAC-SHA256 under a random per-mount key kept in the mount's
(barrier-encrypted) storage, so none can be read back or listed; the role_id index is keyed the same way
(the role_id itself sits in its role, since role/<name>/role-id reads it back, as in Vault).

    hmac_key                              32 random bytes
    role/<name>                           Role
    role_id/<hmac(role_id)>               {"role": name}
    secret_id/<name>/<hmac(secret_id)>    SecretId
    accessor/<hmac(accessor)>             {"role": name, "secret_key": "secret_id/<name>/<hmac>"}

One lock serialises every change in this process; a secret ID's use is spent with one atomic storage update,
so the last use is consumed exactly once even by worker processes sharing the storage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import orjson

from strongroom.auth.approle.model import Role, SecretId
from strongroom.crypto.hashing import hmac_sha256
from strongroom.crypto.random import random_bytes
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import Delete, Put, Storage, Write

_KEY = "hmac_key"


class AppRoleStore:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._key: bytes | None = None
        self.lock = threading.RLock()

    # -- keyed hashes --------------------------------------------------------------------------------------
    def ensure_key(self) -> bytes:
        with self.lock:
            if self._key is None:
                self._key = self._storage.get(_KEY)
            if self._key is None:
                fresh = random_bytes(32)
                # Atomic: two worker processes racing on a new mount keep the same key, not one each.
                self._key = self._storage.update(_KEY, lambda current: current or fresh) or fresh
            return self._key

    def _hash(self, domain: str, value: str) -> str:
        # The domain keeps a role_id, a secret_id and an accessor with the same text apart.
        return hmac_sha256(self.ensure_key(), f"{domain}\0{value}".encode()).hex()

    def secret_key(self, role: str, secret_id: str) -> str:
        return f"secret_id/{role}/{self._hash('secret_id', secret_id)}"

    def _role_id_key(self, role_id: str) -> str:
        return f"role_id/{self._hash('role_id', role_id)}"

    def _accessor_key(self, accessor: str) -> str:
        return f"accessor/{self._hash('accessor', accessor)}"

    # -- roles ---------------------------------------------------------------------------------------------
    def role(self, name: str) -> Role | None:
        raw = self._get(f"role/{name.lower()}")
        return None if raw is None else Role.from_json(raw)

    def role_names(self) -> list[str]:
        return [key for key in self._storage.list("role/") if not key.endswith("/")]

    def role_by_id(self, role_id: str) -> Role | None:
        index = self._get(self._role_id_key(role_id))
        role = None if index is None else self.role(index["role"])
        # A stale index (role recreated with another role_id) must not log anybody in.
        return role if role is not None and role.role_id == role_id else None

    def put_role(self, role: Role, previous: Role | None) -> None:
        """Save the role and its role_id index; refuses a role_id another role holds."""
        with self.lock:
            holder = self._get(self._role_id_key(role.role_id))
            if holder is not None and holder["role"] != role.name and self.role(holder["role"]) is not None:
                raise InvalidRequest("role_id already in use")
            writes: list[Write] = [
                _put(f"role/{role.name}", role.to_json()),
                _put(self._role_id_key(role.role_id), {"role": role.name}),
            ]
            if previous is not None and previous.role_id != role.role_id:
                writes.append(Delete(self._role_id_key(previous.role_id)))
            self._storage.batch(writes)

    def delete_role(self, role: Role) -> None:
        """The role, its role_id index and every secret ID issued against it, at once."""
        with self.lock:
            writes: list[Write] = [Delete(f"role/{role.name}"), Delete(self._role_id_key(role.role_id))]
            for key, entry in self.secret_ids(role.name):
                writes += [Delete(key), Delete(self._accessor_key(entry.accessor))]
            self._storage.batch(writes)

    # -- secret IDs ----------------------------------------------------------------------------------------
    def secret(self, key: str) -> SecretId | None:
        raw = self._get(key)
        return None if raw is None else SecretId.from_json(raw)

    def add_secret(self, key: str, entry: SecretId) -> None:
        with self.lock:
            if self._storage.get(key) is not None:
                raise InvalidRequest("SecretID is already registered")
            self._storage.batch([
                _put(key, entry.to_json()),
                _put(self._accessor_key(entry.accessor), {"role": entry.role, "secret_key": key}),
            ])

    def save_secret(self, key: str, entry: SecretId) -> None:
        self._storage.put(key, orjson.dumps(entry.to_json()))

    def spend_secret(self, key: str, now: float) -> bool:
        """Spend one use of a secret ID atomically; False when it is gone (another process spent it)."""
        found: list[SecretId | None] = [None]

        def step(raw: bytes | None) -> bytes | None:
            if raw is None:
                return None
            entry = SecretId.from_json(orjson.loads(raw))
            found[0] = entry
            if entry.num_uses == 0:  # unlimited
                return raw
            if entry.num_uses == 1:
                return None  # the last use: the entry goes (its accessor right after)
            return orjson.dumps(replace(entry, num_uses=entry.num_uses - 1, last_updated_time=now).to_json())

        self._storage.update(key, step)
        spent = found[0]
        if spent is not None and spent.num_uses == 1:
            self._storage.delete(self._accessor_key(spent.accessor))
        return spent is not None

    def remove_secret(self, key: str, entry: SecretId) -> None:
        self._storage.batch([Delete(key), Delete(self._accessor_key(entry.accessor))])

    def has_accessor(self, entry: SecretId) -> bool:
        return self._storage.get(self._accessor_key(entry.accessor)) is not None

    def secret_by_accessor(self, role: str, accessor: str) -> tuple[str, SecretId] | None:
        """The secret ID behind an accessor, only if it belongs to `role` (CVE-2023-24999: no cross-role IDOR)."""
        index = self._get(self._accessor_key(accessor))
        if index is None or index["role"] != role:
            return None
        entry = self.secret(index["secret_key"])
        return None if entry is None else (index["secret_key"], entry)

    def secret_ids(self, role: str) -> Iterator[tuple[str, SecretId]]:
        prefix = f"secret_id/{role}/"
        for child in self._storage.list(prefix):
            entry = self.secret(prefix + child)
            if entry is not None:
                yield prefix + child, entry

    def tidy(self, now: float) -> int:
        """Drop expired secret IDs, those of vanished roles, and dangling accessors; returns how many went."""
        removed = 0
        with self.lock:
            for folder in self._storage.list("secret_id/"):
                role = folder.rstrip("/")
                alive = self.role(role) is not None
                for key, entry in list(self.secret_ids(role)):
                    if not alive or entry.expired(now) or not self.has_accessor(entry):
                        self.remove_secret(key, entry)
                        removed += 1
            for child in self._storage.list("accessor/"):
                index = self._get("accessor/" + child)
                if index is not None and self._storage.get(index["secret_key"]) is None:
                    self._storage.delete("accessor/" + child)
                    removed += 1
        return removed

    def _get(self, key: str) -> Any:
        raw = self._storage.get(key)
        return None if raw is None else orjson.loads(raw)


def _put(key: str, record: Any) -> Put:
    return Put(key, orjson.dumps(record))
