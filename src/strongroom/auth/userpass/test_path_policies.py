from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness


def test_policies_update(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password="pw-1", token_policies=["p1"], token_ttl=60)
    assert userpass.write("users/bob/policies", token_policies="p2,p3").is_empty()
    data = userpass.read("users/bob").data
    assert (data["token_policies"], data["token_ttl"]) == (["p2", "p3"], 60)


def test_legacy_policies_field(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password="pw-1")
    userpass.write("users/bob/policies", policies=["Zeta", "alpha"])
    data = userpass.read("users/bob").data
    assert data["token_policies"] == data["policies"] == ["alpha", "zeta"]


def test_policies_update_failures(userpass: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="username does not exist"):
        userpass.write("users/nobody/policies", token_policies=["p1"])
    userpass.write("users/bob", password="pw-1")
    with pytest.raises(InvalidRequest, match="must provide token_policies"):
        userpass.write("users/bob/policies")
