from __future__ import annotations

import base64

import pytest

from strongroom.engines.transit import factory
from strongroom.sdk.framework.testing import EngineHarness


@pytest.fixture
def transit() -> EngineHarness:
    return EngineHarness(factory, mount_path="transit/")


def b64(data: bytes | str) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()
