"""Fixtures for transit against a live server: a fresh transit mount per test, hvac, and the real `bao` CLI."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import hvac
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from transit_support import Cli

from serverproc import ServerProcess

_counter = itertools.count()


@pytest.fixture
def mount(server: ServerProcess) -> Iterator[str]:
    """A transit mount of the test's own on the shared server."""
    path = f"transit-{next(_counter)}"
    with server.client() as client:
        client.post(f"sys/mounts/{path}", json={"type": "transit"}).raise_for_status()
        yield path
        client.delete(f"sys/mounts/{path}")


@pytest.fixture
def hv(server: ServerProcess) -> hvac.Client:
    return hvac.Client(url=server.addr, token=server.root_token, timeout=30)


@pytest.fixture
def cli(server: ServerProcess, tmp_path: Path) -> Cli:
    home = tmp_path / "home"
    home.mkdir()
    return Cli(server, home)
