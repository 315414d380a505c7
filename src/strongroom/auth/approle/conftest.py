from __future__ import annotations

from typing import Any

import pytest

from strongroom.auth.approle import factory
from strongroom.sdk.framework.testing import EngineHarness


@pytest.fixture
def approle() -> EngineHarness:
    return EngineHarness(factory, mount_path="auth/approle/")


def make_role(approle: EngineHarness, name: str = "app", **fields: Any) -> str:
    """Create a role and return its role_id."""
    approle.write(f"role/{name}", **fields)
    role_id: str = approle.read(f"role/{name}/role-id").data["role_id"]  # type: ignore[index]
    return role_id


def issue(approle: EngineHarness, name: str = "app", **fields: Any) -> dict[str, Any]:
    data = approle.write(f"role/{name}/secret-id", **fields).data
    assert data is not None
    return dict(data)
