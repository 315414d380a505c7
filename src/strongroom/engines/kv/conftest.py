from __future__ import annotations

import pytest

from strongroom.engines.kv import factory
from strongroom.sdk.framework.testing import EngineHarness

START = "2027-01-15T08:00:00.000000Z"  # FrozenClock's default start, as rfc3339


@pytest.fixture
def kv2() -> EngineHarness:
    return EngineHarness(factory, options={"version": "2"}, mount_path="secret/")


@pytest.fixture
def kv1() -> EngineHarness:
    return EngineHarness(factory, options={"version": "1"}, mount_path="kv1/")
