from __future__ import annotations

import pytest

from strongroom.auth.github import factory
from strongroom.sdk.framework.testing import EngineHarness


@pytest.fixture
def github_mount() -> EngineHarness:
    return EngineHarness(factory, mount_path="auth/github/")
