"""Fixtures shared by the unit tests below src/strongroom."""

from __future__ import annotations

import sys
from collections.abc import Iterator

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
