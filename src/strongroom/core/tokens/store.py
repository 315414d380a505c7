"""The token store: tokens kept only as keyed hashes, with accessors, parent links and token roles.

Storage (a view below the barrier):
    salt                      the HMAC key for token ids (random, created once)
    id/<hash>                 TokenEntry
    accessor/<keyed hash>     {"token": hash, "accessor": accessor} (accessors are sensitive too: not in keys)
    parent/<parent>/<child>   child links, for revoking a whole tree
    roles/<name>              token roles
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import orjson

from strongroom.core.tokens.entry import TokenEntry
from strongroom.core.tokens.token_format import BATCH, SERVICE, new_token
from strongroom.crypto.keyed import HmacSha256Key
from strongroom.crypto.random import base62, random_bytes
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import PermissionDenied
from strongroom.sdk.storage import Delete, Put, Storage, Write


class TokenStore:
    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self._mac: HmacSha256Key | None = None
        # Parsed entries, reused while the barrier hands back the very same cached bytes object.
        self._parsed: dict[str, tuple[bytes, TokenEntry]] = {}
        self._lock = threading.RLock()
        # Called with a token id just before it is deleted: revoke its leases, drop its cubbyhole.
        self.on_revoke: list[Callable[[str], None]] = []

    def _key(self) -> HmacSha256Key:
        if self._mac is None:
            salt = self.storage.get("salt")
            if salt is None:
                fresh = random_bytes(32)
                # Atomic, so worker processes that race to make the salt all end up with the same one.
                salt = self.storage.update("salt", lambda current: current or fresh) or fresh
            self._mac = HmacSha256Key(salt)
        return self._mac

    def reset(self) -> None:
        """Forget cached key material and entries (at seal)."""
        self._mac = None
        self._parsed = {}

    def hash(self, token: str) -> str:
        return "h" + self._key().hexdigest(token.encode())

    # --- create and read ---------------------------------------------------------------------------------
    def create(self, entry: TokenEntry, token: str | None = None) -> tuple[str, TokenEntry]:
        """Store a new token; `entry.id` and `entry.accessor` are filled in here."""
        token, entry, writes = self.prepare(entry, token)
        self.storage.batch(writes)
        return token, entry

    def prepare(self, entry: TokenEntry, token: str | None = None) -> tuple[str, TokenEntry, list[Write]]:
        """A new token and the writes that store it (for the caller to commit, perhaps with its lease's)."""
        batch = entry.type == "batch"
        token = token or new_token(BATCH if batch else SERVICE)
        # Batch tokens have no accessor in Vault (`"accessor": ""`), so nothing can find them by one.
        entry = entry.with_(id=self.hash(token), accessor="" if batch else base62(24))
        writes: list[Write] = [Put(f"id/{entry.id}", entry.serialize())]
        if not batch:
            index = orjson.dumps({"token": entry.id, "accessor": entry.accessor})
            writes.append(Put(self._accessor_key(entry.accessor), index))
        if entry.parent:
            writes.append(Put(f"parent/{entry.parent}/{entry.id}", b""))
        return token, entry, writes

    def get_by_id(self, token_id: str) -> TokenEntry | None:
        raw = self.storage.get(f"id/{token_id}")
        if raw is None:
            return None
        parsed = self._parsed.get(token_id)
        if parsed is not None and parsed[0] is raw:
            entry = parsed[1]
        else:
            entry = TokenEntry.deserialize(raw)
            if len(self._parsed) > 10_000:
                self._parsed = {}
            self._parsed[token_id] = (raw, entry)
        if entry.expire_time and entry.expire_time <= self.clock.now():
            return None
        return entry

    def lookup(self, token: str) -> TokenEntry | None:
        if not token:
            return None
        return self.get_by_id(self.hash(token))

    def _accessor_key(self, accessor: str) -> str:
        return "accessor/" + self._key().hexdigest(b"accessor:" + accessor.encode())

    def by_accessor(self, accessor: str) -> TokenEntry | None:
        if not accessor:
            return None
        index = self.storage.get(self._accessor_key(accessor))
        return None if index is None else self.get_by_id(orjson.loads(index)["token"])

    def save(self, entry: TokenEntry) -> None:
        self.storage.put(f"id/{entry.id}", entry.serialize())

    def change(self, token_id: str, **changes: Any) -> TokenEntry | None:
        """Apply `changes` to the stored entry atomically; None (and nothing written) when it is gone, so a
        renewal racing a revocation in another process cannot bring the token back, nor undo a spent use."""
        changed: list[TokenEntry | None] = [None]

        def step(raw: bytes | None) -> bytes | None:
            if raw is None:
                return None
            updated = TokenEntry.deserialize(raw).with_(**changes)
            changed[0] = updated
            return updated.serialize()

        self.storage.update(f"id/{token_id}", step)
        return changed[0]

    def accessors(self) -> list[str]:
        found = []
        for name in self.storage.list("accessor/"):
            index = self.storage.get(f"accessor/{name}")
            if index is not None:
                found.append(orjson.loads(index)["accessor"])
        return sorted(found)

    # --- use and revoke ----------------------------------------------------------------------------------
    def use(self, entry: TokenEntry) -> TokenEntry:
        """Consume one use of a limited-use token; the returned entry has num_uses -1 on the last use.

        The decrement is one atomic storage update, so worker processes sharing the storage cannot spend the
        same use twice; a token whose uses are gone (or that was revoked meanwhile) is PermissionDenied."""
        if entry.num_uses == 0:
            return entry
        if entry.num_uses < 0:  # -1: its last use is being served (and it is revoked right after)
            raise PermissionDenied()
        spent: list[TokenEntry | None] = [None]

        def step(raw: bytes | None) -> bytes | None:
            current = None if raw is None else TokenEntry.deserialize(raw)
            if current is None or current.num_uses == -1:  # revoked, or its last use is being served
                return raw
            if current.num_uses == 0:  # unlimited after all
                spent[0] = current
                return raw
            updated = current.with_(num_uses=current.num_uses - 1 or -1)
            spent[0] = updated
            return updated.serialize()

        with self._lock:
            self.storage.update(f"id/{entry.id}", step)
        if spent[0] is None:
            raise PermissionDenied()
        return spent[0]

    def children(self, token_id: str) -> list[str]:
        return [name for name in self.storage.list(f"parent/{token_id}/") if not name.endswith("/")]

    def revoke_tree(self, token_id: str) -> None:
        """Revoke a token and all its descendants, deepest first."""
        for child in self.children(token_id):
            self.revoke_tree(child)
        self._delete(token_id)

    def revoke_orphan(self, token_id: str) -> None:
        """Revoke one token; its children become orphans."""
        for child in self.children(token_id):
            raw = self.storage.get(f"id/{child}")
            if raw is not None:
                self.save(TokenEntry.deserialize(raw).with_(parent=""))
            self.storage.delete(f"parent/{token_id}/{child}")
        self._delete(token_id)

    def _delete(self, token_id: str) -> None:
        raw = self.storage.get(f"id/{token_id}")
        for hook in self.on_revoke:
            hook(token_id)
        if raw is None:
            return
        entry = TokenEntry.deserialize(raw)
        writes: list[Write] = [Delete(f"id/{token_id}"), Delete(self._accessor_key(entry.accessor))]
        if entry.parent:
            writes.append(Delete(f"parent/{entry.parent}/{token_id}"))
        self.storage.batch(writes)
