"""The token store on in-memory storage: service tokens have accessors, batch tokens have none."""

from __future__ import annotations

from strongroom.core.tokens.entry import TokenEntry
from strongroom.core.tokens.store import TokenStore
from strongroom.core.tokens.token_format import is_valid
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage


def _entry(kind: str) -> TokenEntry:
    return TokenEntry(id="", accessor="", policies=("default",), path="auth/token/create", creation_time=0,
                      ttl=0, expire_time=0, type=kind)


def _store() -> TokenStore:
    return TokenStore(InMemoryStorage(), FrozenClock(0))


def test_service_token_has_accessor() -> None:
    store = _store()
    token, entry = store.create(_entry("service"))
    assert token.startswith("sr.s.") and is_valid(token)
    assert len(entry.accessor) == 24
    assert store.by_accessor(entry.accessor) == store.lookup(token)
    assert store.accessors() == [entry.accessor]


def test_batch_token_has_no_accessor() -> None:
    store = _store()
    token, entry = store.create(_entry("batch"))
    assert token.startswith("sr.b.") and is_valid(token)
    assert entry.accessor == ""
    assert store.lookup(token) == entry
    assert store.by_accessor("") is None
    assert store.accessors() == []
    second, _ = store.create(_entry("batch"))
    store.revoke_tree(store.hash(second))
    assert store.lookup(token) == entry, "revoking one batch token leaves the others"
