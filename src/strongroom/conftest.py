"""Fixtures shared by the unit tests below src/strongroom."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest


@pytest.fixture
def racy_threads() -> Iterator[None]:
    """Threads switch every microsecond instead of every 5 ms, so a race between a read and its write (the bug a
    concurrency test looks for) shows up in nearly every run instead of now and then."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_at_once(*jobs: Callable[[], object]) -> None:
    """Run each job in a thread of its own, all at once, and wait for them (the racing side of a test)."""
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
