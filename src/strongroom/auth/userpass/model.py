"""Stored users: the Argon2id hash of the password and the token settings, keyed by normalised username."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

import orjson

from strongroom.auth.tokenfields import TokenParams
from strongroom.sdk.storage import Storage

# Vault's framework.GenericNameRegex, ASCII only.
NAME_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
_PREFIX = "user/"


def normalise(username: str) -> str:
    """Usernames are case-insensitive, surrounding blanks do not count and Unicode compatibility forms fold
    (`Bob`, ` bob`, `bob\t` and its fullwidth spelling are one): the same folding user lockout counts by."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())
    return folded.strip()


@dataclass(frozen=True)
class User:
    password_hash: str
    token: TokenParams


class UserStore:
    """Users in the mount's storage. `lock` serialises read-modify-write updates."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.lock = threading.Lock()

    def get(self, username: str) -> User | None:
        raw = self._storage.get(_PREFIX + normalise(username))
        if raw is None:
            return None
        record = orjson.loads(raw)
        return User(password_hash=record["password_hash"], token=TokenParams.from_json(record["token"]))

    def put(self, username: str, user: User) -> None:
        record = {"password_hash": user.password_hash, "token": user.token.to_json()}
        self._storage.put(_PREFIX + normalise(username), orjson.dumps(record))

    def delete(self, username: str) -> None:
        self._storage.delete(_PREFIX + normalise(username))

    def names(self) -> list[str]:
        return [key for key in self._storage.list(_PREFIX) if not key.endswith("/")]
