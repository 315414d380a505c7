"""Fixtures shared by the cross-package tests: a real server process over HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from serverproc import ServerProcess, start
from strongroom.conftest import racy_threads  # noqa: F401  (one definition for both test trees)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One dev server (in memory, root token "root") shared by a whole test session."""
    proc = start(tmp_path_factory.mktemp("server"))
    yield proc
    proc.stop()


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A dev server of the test's own, for tests that change global state (seal, audit, mounts)."""
    proc = start(tmp_path)
    yield proc
    proc.stop()
