from __future__ import annotations

import orjson

from strongroom.conftest import run_at_once
from strongroom.keys import KeyService, NewKey
from strongroom.keys.usage import UsageCounter
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage


def test_counts_persist_in_coarse_blocks() -> None:
    storage = InMemoryStorage()
    counter = UsageCounter(storage, limit=1000, block=100)
    counter.consume("k", 1, 1)
    assert storage.get("usage/k") == b'{"1":101}'
    counter.consume("k", 1, 99)
    assert storage.get("usage/k") == b'{"1":101}'  # still inside the reserved block: no write
    counter.consume("k", 1, 2)
    assert storage.get("usage/k") == b'{"1":202}'
    assert counter.used("k", 1) == 102


def test_restart_resumes_from_the_stored_mark_never_lower() -> None:
    storage = InMemoryStorage()
    UsageCounter(storage, limit=1000, block=100).consume("k", 1, 5)
    again = UsageCounter(storage, limit=1000, block=100)
    assert again.used("k", 1) == 105  # conservative: the whole reserved block counts as used
    assert again.would_exceed("k", 1, 896) and not again.would_exceed("k", 1, 895)


def test_processes_sharing_storage_count_each_others_reservations() -> None:
    storage = InMemoryStorage()
    a = UsageCounter(storage, limit=10_000, block=100)
    b = UsageCounter(storage, limit=10_000, block=100)
    a.consume("k", 1, 50)
    b.consume("k", 1, 50)  # b first loads a's mark (150) as used, then reserves on top
    assert b.used("k", 1) == 200
    a.consume("k", 1, 60)  # inside a's own block: no storage traffic
    assert a.used("k", 1) == 110
    a.consume("k", 1, 50)  # a passes its block: its 50 go on top of b's reservation (300)
    assert a.used("k", 1) == 350
    assert storage.get("usage/k") == b'{"1":450}'


def test_old_marks_are_pruned_and_forget_clears() -> None:
    storage = InMemoryStorage()
    counter = UsageCounter(storage, limit=1000, block=10)
    for version in range(1, 7):
        counter.consume("k", version, 1)
    assert sorted(storage.get("usage/k").decode().strip("{}").split(","))[0].startswith('"3"')  # type: ignore[union-attr]
    counter.forget("k")
    assert storage.get("usage/k") is None and counter.used("k", 6) == 0


def test_service_rotates_before_the_bound() -> None:
    service = KeyService(InMemoryStorage(), FrozenClock(), usage_limit=5, usage_block=2)
    ring = service.create("k", NewKey())[0]
    versions = []
    for _ in range(12):
        ring = service.get("k")  # type: ignore[assignment]
        versions.append(service.encrypt(ring, b"x")[1])
    assert versions == [1] * 5 + [2] * 5 + [3] * 2
    assert service.get("k").key.version(2).origin == "usage-rotated"  # type: ignore[union-attr]


def test_service_usage_survives_restart() -> None:
    storage, clock = InMemoryStorage(), FrozenClock()
    first = KeyService(storage, clock, usage_limit=10, usage_block=4)
    first.create("k", NewKey())
    for _ in range(3):
        first.encrypt(first.get("k"), b"x")  # type: ignore[arg-type]
    second = KeyService(storage, clock, usage_limit=10, usage_block=4)
    assert second.usage.used("k", 1) == 5  # first reservation: 1 used + a block of 4
    for _ in range(5):
        assert second.encrypt(second.get("k"), b"x")[1] == 1  # type: ignore[arg-type]
    assert second.encrypt(second.get("k"), b"x")[1] == 2  # type: ignore[arg-type]


def test_a_pinned_version_at_its_bound_is_refused_not_replaced() -> None:
    import pytest

    from strongroom.keys.errors import UsageExhausted

    service = KeyService(InMemoryStorage(), FrozenClock(), usage_limit=2, usage_block=1)
    service.create("k", NewKey())
    for _ in range(2):
        service.encrypt(service.get("k"), b"x", version=1)  # type: ignore[arg-type]
    with pytest.raises(UsageExhausted):
        service.encrypt(service.get("k"), b"x", version=1)  # type: ignore[arg-type]
    assert service.get("k").key.latest_version == 2  # type: ignore[union-attr]
    with pytest.raises(UsageExhausted):
        service.encrypt(service.get("k"), b"x", version=1)  # type: ignore[arg-type]
    assert service.encrypt(service.get("k"), b"x")[1] == 2  # type: ignore[arg-type]
    with pytest.raises(UsageExhausted):
        service.encryptor(service.get("k"), count=5)  # type: ignore[arg-type]


def test_reservations_racing_from_many_processes_never_undercount(racy_threads: None) -> None:
    storage = InMemoryStorage()
    counters = [UsageCounter(storage, limit=1_000_000, block=1) for _ in range(4)]

    def consume_many(counter: UsageCounter) -> None:
        for _ in range(200):
            counter.consume("k", 1, 1)  # block 1: every encryption reserves in storage

    run_at_once(*(lambda c=c: consume_many(c) for c in counters))
    stored = orjson.loads(storage.get("usage/k") or b"{}")
    assert stored["1"] >= 800  # a restart resumes at least from every encryption done
