from __future__ import annotations

import pytest

from strongroom.auth.sigv4 import factory
from strongroom.sdk.framework.testing import EngineHarness


@pytest.fixture
def sigv4() -> EngineHarness:
    return EngineHarness(factory, mount_path="auth/sigv4/")
