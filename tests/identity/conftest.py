"""The in-process core fixture, and one whose github method may call the local GitHub stand-in."""

from __future__ import annotations

import pytest

from auth_github.conftest import FakeGitHub, github, loopback_factory  # noqa: F401
from corefixture import CoreFixture, LeasingEngine, cf  # noqa: F401
from strongroom.auth import CATALOG as AUTH
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.storage.memory import InMemoryBackend


@pytest.fixture
def gh_core() -> CoreFixture:
    clock = FrozenClock()
    core = Core(InMemoryBackend(), ENGINES, {**AUTH, "github": loopback_factory}, clock=clock,
                config=CoreConfig(dev_mode=True))
    keys, root = core.initialize(1, 1)
    core.submit_unseal_key(keys[0])
    return CoreFixture(core, clock, root, LeasingEngine(), keys[0])
