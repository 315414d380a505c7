"""Stored access keys. Storage (the mount's view, below the barrier, so encrypted at rest):

    key/<name>           {"access_key_id", "secret_access_key", "token": TokenParams, "revision", "created"}
    akid/<access key id> the name of the key that owns it

SigV4 verification needs the secret itself (the signing key is an HMAC chain over it), so the secret is kept,
encrypted by the barrier, and never logged or returned after creation. `revision` grows with every change, so
a caller that caches tokens minted for a key (the KMS face) knows when to log in again.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field, replace

import orjson

from strongroom.auth.tokenfields import TokenParams
from strongroom.crypto.random import random_bytes
from strongroom.sdk.storage import Delete, Put, Storage, Write

NAME_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
ACCESS_KEY_PREFIX = "AKSR"
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_access_key_id() -> str:
    """20 characters like AWS's (`AKIA` + 16), with Strongroom's own prefix so leaked ids are recognisable."""
    return ACCESS_KEY_PREFIX + "".join(_BASE32[b & 31] for b in random_bytes(16))


def new_secret() -> str:
    """40 characters, like an AWS secret access key (240 bits)."""
    return base64.b64encode(random_bytes(30)).decode()


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    token: TokenParams
    revision: int = 1
    created: float = 0.0

    def with_token(self, token: TokenParams) -> AccessKey:
        return replace(self, token=token, revision=self.revision + 1)

    def to_bytes(self) -> bytes:
        return orjson.dumps({
            "access_key_id": self.access_key_id, "secret_access_key": self.secret_access_key,
            "token": self.token.to_json(), "revision": self.revision, "created": self.created,
        })

    @classmethod
    def from_bytes(cls, raw: bytes) -> AccessKey:
        data = orjson.loads(raw)
        return cls(access_key_id=data["access_key_id"], secret_access_key=data["secret_access_key"],
                   token=TokenParams.from_json(data["token"]), revision=int(data.get("revision", 1)),
                   created=float(data.get("created", 0.0)))


class KeyStore:
    """Access keys by name and by access key id. `lock` serialises read-modify-write updates."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.lock = threading.Lock()
        # Parsed records, reused while storage hands back the very same bytes object (the barrier's cache).
        self._parsed: dict[str, tuple[bytes, AccessKey]] = {}

    def get(self, name: str) -> AccessKey | None:
        raw = self._storage.get("key/" + name)
        if raw is None:
            return None
        cached = self._parsed.get(name)
        if cached is not None and cached[0] is raw:
            return cached[1]
        key = AccessKey.from_bytes(raw)
        if len(self._parsed) > 10_000:
            self._parsed = {}
        self._parsed[name] = (raw, key)
        return key

    def name_for(self, access_key_id: str) -> str | None:
        raw = self._storage.get("akid/" + access_key_id)
        return None if raw is None else raw.decode()

    def by_access_key_id(self, access_key_id: str) -> tuple[str, AccessKey] | None:
        name = self.name_for(access_key_id)
        key = None if name is None else self.get(name)
        if name is None or key is None or key.access_key_id != access_key_id:
            return None
        return name, key

    def put(self, name: str, key: AccessKey, previous: AccessKey | None = None) -> None:
        writes: list[Write] = [Put("key/" + name, key.to_bytes()), Put("akid/" + key.access_key_id,
                                                                             name.encode())]
        if previous is not None and previous.access_key_id != key.access_key_id:
            writes.append(Delete("akid/" + previous.access_key_id))
        self._storage.batch(writes)

    def delete(self, name: str) -> None:
        key = self.get(name)
        writes: list[Write] = [Delete("key/" + name)]
        if key is not None:
            writes.append(Delete("akid/" + key.access_key_id))
        self._storage.batch(writes)

    def names(self) -> list[str]:
        return [key for key in self._storage.list("key/") if not key.endswith("/")]
