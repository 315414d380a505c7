"""Stored users: the Argon2id hash of the password and the token settings, keyed by normalised username."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
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
    """Users in the mount's storage."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def get(self, username: str) -> User | None:
        raw = self._storage.get(_PREFIX + normalise(username))
        return None if raw is None else _load(raw)

    def modify(self, username: str, change: Callable[[User | None], User]) -> None:
        """Store `change(current user, or None)` in one atomic storage step, so that of two concurrent changes
        (a password reset and a policy change, in two worker processes) neither undoes the other. `change` may
        raise to write nothing."""
        self._storage.update(_PREFIX + normalise(username),
                             lambda raw: _dump(change(None if raw is None else _load(raw))))

    def delete(self, username: str) -> None:
        self._storage.delete(_PREFIX + normalise(username))

    def names(self) -> list[str]:
        return [key for key in self._storage.list(_PREFIX) if not key.endswith("/")]


def _load(raw: bytes) -> User:
    record = orjson.loads(raw)
    return User(password_hash=record["password_hash"], token=TokenParams.from_json(record["token"]))


def _dump(user: User) -> bytes:
    return orjson.dumps({"password_hash": user.password_hash, "token": user.token.to_json()})
