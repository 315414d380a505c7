from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from strongroom.core.quotas.buckets import MemoryBuckets, SQLiteBuckets, step
from strongroom.core.quotas.model import QuotaConfig


def test_a_window_admits_limit_requests_then_refuses_until_it_ends() -> None:
    state = None
    answers = []
    for now in (0.0, 0.1, 0.2, 9.9):
        state, decision = step(state, 2, 10, 0, now)
        answers.append((decision.allowed, decision.remaining, decision.retry_after))
    assert answers == [(True, 1, 0), (True, 0, 0), (False, 0, 10), (False, 0, 1)]
    state, decision = step(state, 2, 10, 0, 10.0)
    assert decision.allowed and decision.reset == 10


def test_block_interval_outlasts_the_window() -> None:
    state, _ = step(None, 1, 1, 30, 0.0)
    state, refused = step(state, 1, 1, 30, 0.5)
    assert not refused.allowed and refused.retry_after == 30
    state, refused = step(state, 1, 1, 30, 29.0)
    assert not refused.allowed and refused.retry_after == 2
    _, allowed = step(state, 1, 1, 30, 30.5)
    assert allowed.allowed


@pytest.mark.parametrize("make", [lambda p: MemoryBuckets(), lambda p: SQLiteBuckets(p / "w.db")])
def test_keys_are_independent(make: object, tmp_path: Path) -> None:
    buckets = make(tmp_path)  # type: ignore[operator]
    assert [buckets.take("a", 1, 60, 0, 0.0).allowed for _ in range(2)] == [True, False]
    assert buckets.take("b", 1, 60, 0, 0.0).allowed


def _spend(path: str, count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    buckets = SQLiteBuckets(path)
    queue.put(sum(buckets.take("shared", 50, 3600, 0, 1.0).allowed for _ in range(count)))


def test_processes_sharing_the_file_share_one_window(tmp_path: Path) -> None:
    # Forked, not spawned: a spawned child imports this module by the name pytest gave it, which only
    # `python -m pytest` (with the checkout on sys.path) can resolve. The parent holds no connection to fork.
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [context.Process(target=_spend, args=(str(tmp_path / "w.db"), 40, queue)) for _ in range(3)]
    for worker in workers:
        worker.start()
    admitted = sum(queue.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
    assert admitted == 50


def test_exempt_paths_match_exactly_or_by_prefix() -> None:
    config = QuotaConfig(rate_limit_exempt_paths=("sys/health", "kv/app/*"))
    assert config.exempt("sys/health") and config.exempt("sys/health/")
    assert config.exempt("kv/app/x") and not config.exempt("kv/apps")
    assert not config.exempt("sys/healthz")
