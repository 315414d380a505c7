"""Fixtures for the wire-conformance suite: hvac clients and a `bao` CLI runner against a real server.

Read-mostly tests share the session `server` and use unique mount and path names (`unique`);
tests that change global state (seal, audit devices, key rotation) start their own `fresh_server`.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import hvac
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from conformance_support import Bao, hvac_client

from serverproc import ServerProcess

_counter = itertools.count()


@pytest.fixture
def unique(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """Return a name generator that is unique across the session (mounts, paths, users, policies)."""
    stem = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[-24:]

    def make(prefix: str) -> str:
        return f"{prefix}-{stem}-{next(_counter)}"

    return make


@pytest.fixture
def hv(server: ServerProcess) -> hvac.Client:
    """An hvac client holding the session server's root token."""
    return hvac_client(server)


@pytest.fixture
def bao(server: ServerProcess, tmp_path: Path) -> Iterator[Bao]:
    """The bao CLI with the session server's root token in VAULT_TOKEN and a private HOME."""
    home = tmp_path / "home"
    home.mkdir()
    yield Bao(server, home, server.root_token)
