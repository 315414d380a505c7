from __future__ import annotations

from strongroom.auth.approle.backend import AppRoleBackend
from strongroom.auth.approle.conftest import issue, make_role
from strongroom.auth.approle.path_tidy import STARTED
from strongroom.sdk.framework.testing import EngineHarness


def test_tidy_removes_expired_secret_ids_only(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    short = issue(approle, ttl=60)
    lasting = issue(approle)
    approle.clock.advance(61)
    response = approle.write("tidy/secret-id")
    assert (response.status, response.warnings) == (202, [STARTED])
    assert approle.list("role/app/secret-id").data == {"keys": [lasting["secret_id_accessor"]]}
    assert approle.write("login", role_id=role_id, secret_id=lasting["secret_id"]).auth is not None
    assert short["secret_id_accessor"] not in str(approle.storage.list("accessor/"))


def test_tidy_drops_dangling_entries(approle: EngineHarness) -> None:
    make_role(approle)
    issued = issue(approle)
    # Simulate a half-finished write: a secret ID without accessor, and an accessor without secret ID.
    [accessor_key] = approle.storage.list("accessor/")
    approle.storage.delete("accessor/" + accessor_key)
    approle.storage.put("accessor/dangling", b'{"role": "app", "secret_key": "secret_id/app/gone"}')
    approle.write("tidy/secret-id")
    assert approle.storage.list("accessor/") == []
    assert approle.storage.list("secret_id/app/") == []
    assert approle.write("role/app/secret-id/lookup", secret_id=issued["secret_id"]).is_empty()


def test_periodic_tidies_about_once_a_minute(approle: EngineHarness) -> None:
    make_role(approle)
    issue(approle, ttl=30)
    backend = approle.backend
    assert isinstance(backend, AppRoleBackend)
    approle.clock.advance(31)
    backend.periodic(approle.clock.now())
    assert approle.storage.list("accessor/") == []
    issue(approle, ttl=1)
    approle.clock.advance(2)
    backend.periodic(approle.clock.now())  # less than a minute since the last run: nothing happens
    assert len(approle.storage.list("accessor/")) == 1


def test_the_hmac_key_survives_a_restart(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    secret = issue(approle)["secret_id"]
    restarted = AppRoleBackend(approle.env)
    restarted.initialize()
    approle.backend = restarted
    assert approle.write("login", role_id=role_id, secret_id=secret).auth is not None
