from __future__ import annotations

from strongroom.core.lockout.settings import LockoutSettings
from strongroom.core.lockout.store import LockoutStore, fold
from strongroom.sdk.storage import InMemoryStorage

S = LockoutSettings(threshold=3, duration=100, counter_reset=10)


def test_threshold_failures_within_the_reset_window_lock() -> None:
    assert fold([0, 5, 9], S, 9) == (0, 109)
    assert fold([0, 5], S, 9) == (2, 0)


def test_a_gap_longer_than_counter_reset_starts_again() -> None:
    assert fold([0, 11, 15], S, 15) == (2, 0)
    assert fold([0, 5], S, 16) == (0, 0)  # nothing counts any more


def test_lock_expires_and_the_count_starts_from_zero() -> None:
    assert fold([0, 1, 2], S, 101) == (0, 102)
    assert fold([0, 1, 2], S, 102) == (0, 0)
    assert fold([0, 1, 2, 103], S, 104) == (1, 0)


def test_failures_recorded_while_locked_do_not_extend_the_lock() -> None:
    assert fold([0, 1, 2, 3, 4], S, 50) == (0, 102)


def test_order_of_records_does_not_matter() -> None:
    assert fold([9, 0, 5], S, 9) == fold([0, 5, 9], S, 9)


def test_store_keys_never_contain_the_alias() -> None:
    storage = InMemoryStorage()
    store = LockoutStore(storage)
    store.record_failure("auth_userpass_1", "Alice", 1.0)
    keys = [k for k in storage.list("auth_userpass_1/")]
    assert keys and all("alice" not in k.lower() for k in keys)
    assert store.state("auth_userpass_1", " ALICE", S, 2.0).failures == 1


def test_clear_and_tidy() -> None:
    store = LockoutStore(InMemoryStorage())
    for t in (0.0, 1.0, 2.0):
        store.record_failure("m", "locked", t)
    store.record_failure("m", "stale", 0.0)
    store.record_failure("m", "counting", 49.0)
    assert store.tidy("m", S, 50.0) == 1
    assert not store.has_records("m", "stale") and store.has_records("m", "counting")
    store.clear("m", "LOCKED")
    assert not store.has_records("m", "locked")
