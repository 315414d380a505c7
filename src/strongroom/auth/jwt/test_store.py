from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from strongroom.auth.jwt.model import PendingLogin, Role
from strongroom.auth.jwt.store import JwtStore
from strongroom.conftest import run_at_once
from strongroom.sdk.storage import InMemoryStorage


def test_role_changes_from_two_processes_never_undo_each_other(racy_threads: None) -> None:
    # Two fields of one role changed many times, each from its own store (as two worker processes over one
    # storage): the role ends with the last value of both.
    storage = InMemoryStorage()
    JwtStore(storage).modify_role("web", lambda _: Role(name="web", user_claim="sub"))
    audiences, subjects = JwtStore(storage), JwtStore(storage)

    def change_audiences() -> None:
        for n in range(1, 301):
            audiences.modify_role("web", lambda role, n=n: replace(role, bound_audiences=(f"a{n}",)))  # type: ignore[arg-type]

    def change_subjects() -> None:
        for n in range(1, 301):
            subjects.modify_role("WEB", lambda role, n=n: replace(role, bound_subject=f"s{n}"))  # type: ignore[arg-type]

    run_at_once(change_audiences, change_subjects)
    role = JwtStore(storage).role("web")
    assert role is not None and role.bound_audiences == ("a300",) and role.bound_subject == "s300"


def test_a_role_change_that_raises_writes_nothing() -> None:
    store = JwtStore(InMemoryStorage())
    store.modify_role("web", lambda _: Role(name="web", user_claim="sub"))

    def refuse(role: Role | None) -> Role:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        store.modify_role("web", refuse)
    with pytest.raises(ValueError, match="refused"):
        store.modify_role("other", refuse)
    role = store.role("web")
    assert role is not None and role.user_claim == "sub" and store.role("other") is None


class _SlowReads(InMemoryStorage):
    """Reads whose answer takes a while to arrive, as from a busy disk: a read-then-delete race has time to
    happen."""

    def get(self, key: str) -> bytes | None:
        value = super().get(key)
        time.sleep(0.002)
        return value


def _take_at_once(stores: list[JwtStore], state: str) -> list[PendingLogin | None]:
    taken: list[PendingLogin | None] = []
    start = threading.Barrier(len(stores))

    def take(store: JwtStore) -> None:
        start.wait()
        taken.append(store.take_pending(state, now=1000.0))

    run_at_once(*(lambda s=s: take(s) for s in stores))
    return taken


def test_a_pending_login_is_taken_once_across_processes() -> None:
    # The same OIDC callback arriving at several worker processes at once: one login goes through.
    storage = _SlowReads()
    pending = PendingLogin(role="web", redirect_uri="https://app.example/cb", nonce="n", code_verifier="v",
                           client_nonce="", expires=2000.0)
    for round_ in range(10):
        state = f"state-{round_}"
        JwtStore(storage).put_pending(state, pending)
        stores = [JwtStore(storage) for _ in range(4)]
        assert [t for t in _take_at_once(stores, state) if t is not None] == [pending]
    assert JwtStore(storage).take_pending("state-0", now=1000.0) is None


def test_an_expired_pending_login_is_removed_and_refused() -> None:
    store = JwtStore(InMemoryStorage())
    store.put_pending("late", PendingLogin(role="web", redirect_uri="u", nonce="n", code_verifier="v",
                                           client_nonce="", expires=10.0))
    assert store.take_pending("late", now=11.0) is None
    assert store.take_pending("late", now=0.0) is None  # taken above: not there even for an earlier clock
