from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

OLD, NEW = "old-Canary-1", "new-Canary-2"


def test_password_change_takes_effect(userpass: EngineHarness) -> None:
    userpass.write("users/bob", password=OLD, token_policies=["p1"])
    assert userpass.write("users/BOB/password", password=NEW).is_empty()
    with pytest.raises(InvalidRequest, match="invalid username or password"):
        userpass.write("login/bob", password=OLD)
    auth = userpass.write("login/bob", password=NEW).auth
    assert auth is not None
    assert auth.policies == ("p1",)  # the token settings survive the password change


def test_unknown_user_and_missing_password(userpass: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="username does not exist"):
        userpass.write("users/nobody/password", password=NEW)
    userpass.write("users/bob", password=OLD)
    with pytest.raises(InvalidRequest, match="missing password") as raised:
        userpass.write("users/bob/password", password="")
    assert OLD not in str(raised.value)
