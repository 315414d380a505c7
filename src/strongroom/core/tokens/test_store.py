"""The token store on in-memory storage: service tokens have accessors, batch tokens have none."""

from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.core.tokens.entry import TokenEntry
from strongroom.core.tokens.store import TokenStore
from strongroom.core.tokens.token_format import is_valid
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import PermissionDenied
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


def test_uses_are_spent_one_at_a_time_and_the_last_use_refuses_more() -> None:
    store = _store()
    _, entry = store.create(replace(_entry("service"), num_uses=2))
    first = store.use(entry)
    assert first.num_uses == 1
    last = store.use(first)
    assert last.num_uses == -1  # the caller serves this request, then revokes the token
    with pytest.raises(PermissionDenied):
        store.use(entry)  # a stale copy (another process's) cannot spend a use that is gone
    with pytest.raises(PermissionDenied):
        store.use(last)
    store.revoke_tree(entry.id)
    with pytest.raises(PermissionDenied):
        store.use(entry)
    assert store.use(replace(entry, num_uses=0)) == replace(entry, num_uses=0)  # unlimited: no storage use


def test_a_change_never_brings_a_revoked_token_back() -> None:
    store = _store()
    token, entry = store.create(_entry("service"))
    changed = store.change(entry.id, ttl=60, expire_time=60.0)
    assert changed is not None and store.lookup(token) == changed
    store.revoke_tree(entry.id)
    assert store.change(entry.id, ttl=120, expire_time=120.0) is None
    assert store.lookup(token) is None
