from __future__ import annotations

import re

import pytest

from strongroom.auth.approle.conftest import issue, make_role
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness


def test_role_id_is_a_uuid(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", role_id)
    assert make_role(approle, "other") != role_id


def test_custom_role_id_replaces_the_old_one(approle: EngineHarness) -> None:
    old = make_role(approle)
    secret = issue(approle)["secret_id"]
    assert approle.write("role/app/role-id", role_id="my-custom-role-id").is_empty()
    assert approle.read("role/app/role-id").data == {"role_id": "my-custom-role-id"}
    with pytest.raises(InvalidRequest, match="invalid role or secret ID"):
        approle.write("login", role_id=old, secret_id=secret)
    assert approle.write("login", role_id="my-custom-role-id", secret_id=secret).auth is not None


def test_role_id_failures(approle: EngineHarness) -> None:
    with pytest.raises(NotFound):
        approle.read("role/nope/role-id")
    with pytest.raises(NotFound):
        approle.write("role/nope/role-id", role_id="x")
    make_role(approle, "a", role_id="taken")
    make_role(approle, "b")
    with pytest.raises(InvalidRequest, match="already in use"):
        approle.write("role/b/role-id", role_id="taken")
    with pytest.raises(InvalidRequest, match="missing role_id"):
        approle.write("role/b/role-id", role_id="")


def test_setting_the_same_role_id_again_is_fine(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    approle.write("role/app/role-id", role_id=role_id)
    assert approle.read("role/app/role-id").data == {"role_id": role_id}
