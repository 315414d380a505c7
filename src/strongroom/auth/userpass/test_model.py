from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.auth.tokenfields import TokenParams
from strongroom.auth.userpass.model import User, UserStore
from strongroom.conftest import run_at_once
from strongroom.sdk.storage import InMemoryStorage


def test_concurrent_changes_from_two_processes_never_undo_each_other(racy_threads: None) -> None:
    # A password reset and a policy change on one user, each from its own store (as two worker processes over
    # one storage), many times over: the record ends with the last password and the last policies.
    storage = InMemoryStorage()
    UserStore(storage).modify("amy", lambda _: User(password_hash="h0", token=TokenParams()))
    resets, policy_changes = UserStore(storage), UserStore(storage)

    def reset_passwords() -> None:
        for n in range(1, 301):
            resets.modify("amy", lambda user, n=n: replace(user, password_hash=f"h{n}"))  # type: ignore[arg-type]

    def change_policies() -> None:
        for n in range(1, 301):
            policy_changes.modify("amy", lambda user, n=n: replace(  # type: ignore[arg-type]
                user, token=replace(user.token, policies=(f"p{n}",))))  # type: ignore[union-attr]

    run_at_once(reset_passwords, change_policies)
    user = UserStore(storage).get("AMY")
    assert user is not None and user.password_hash == "h300" and user.token.policies == ("p300",)


def test_a_change_that_raises_writes_nothing() -> None:
    storage = InMemoryStorage()
    store = UserStore(storage)
    store.modify("bo", lambda _: User(password_hash="h", token=TokenParams()))

    def refuse(user: User | None) -> User:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        store.modify("bo", refuse)
    user = store.get("bo")
    assert user is not None and user.password_hash == "h"
