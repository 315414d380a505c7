"""The keyring: every encryption term's key, under a root key. Immutable: rotation returns a new keyring."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace

import orjson

from strongroom.crypto.aead import Aead, generate_key


@dataclass(frozen=True)
class Term:
    number: int
    key: bytes = field(repr=False)
    install_time: float


@dataclass(frozen=True)
class Keyring:
    root_key: bytes = field(repr=False)
    terms: tuple[Term, ...]

    @property
    def active(self) -> Term:
        return self.terms[-1]

    def term(self, number: int) -> Term | None:
        for term in self.terms:
            if term.number == number:
                return term
        return None

    def rotated(self, now: float) -> Keyring:
        return replace(self, terms=(*self.terms, Term(self.active.number + 1, generate_key(), now)))

    def with_root_key(self, root_key: bytes) -> Keyring:
        return replace(self, root_key=root_key)

    def serialize(self) -> bytes:
        return orjson.dumps(
            {"terms": [{"term": t.number, "key": base64.b64encode(t.key).decode(), "time": t.install_time}
                       for t in self.terms]}
        )

    @classmethod
    def deserialize(cls, root_key: bytes, data: bytes) -> Keyring:
        raw = orjson.loads(data)
        terms = tuple(Term(t["term"], base64.b64decode(t["key"]), t["time"]) for t in raw["terms"])
        return cls(root_key=root_key, terms=terms)

    @classmethod
    def new(cls, now: float) -> Keyring:
        return cls(root_key=generate_key(), terms=(Term(1, generate_key(), now),))

    def ciphers(self) -> dict[int, Aead]:
        return {t.number: Aead(t.key) for t in self.terms}
