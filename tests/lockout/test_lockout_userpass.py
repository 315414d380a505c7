"""User lockout on userpass through the in-process core (frozen clock): variants share one counter, a locked
user is told exactly what a wrong password is told, failures mint no tokens, unlock and reset work."""

from __future__ import annotations

import pytest

from corefixture import CoreFixture
from lockout.conftest import PASSWORD, login
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.request import Operation

INVALID = "InvalidRequest: invalid username or password"


def _fail(cf: CoreFixture, name: str, times: int = 1) -> None:
    for _ in range(times):
        assert login(cf.core, f"auth/userpass/login/{name}", password="wrong").error == INVALID


def _token_count(cf: CoreFixture) -> int:
    return len(cf.core.physical.list("sys/token/id/"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("variant", ["Alice", " alice", "alice\t", "ALICE", "\uff41\uff4c\uff49\uff43\uff45",
                                     "\u00a0alice\u2003"])
def test_spelling_variants_share_one_counter(lf: CoreFixture, variant: str) -> None:
    _fail(lf, "alice", 4)
    _fail(lf, variant)  # the fifth failure, under another spelling, locks alice
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).error == INVALID


def test_mixed_variants_lock_after_the_threshold(lf: CoreFixture) -> None:
    for name in ["Alice", " alice", "alice\t", "ALICE ", "\uff41\uff4c\uff49\uff43\uff45"]:
        _fail(lf, name)
    for name in ["alice", "Alice", " alice", "\uff41\uff4c\uff49\uff43\uff45"]:
        assert login(lf.core, f"auth/userpass/login/{name}", password=PASSWORD).error == INVALID


def test_locked_user_gets_the_wrong_password_error_and_no_token(lf: CoreFixture) -> None:
    unknown = login(lf.core, "auth/userpass/login/nobody", password="wrong")
    wrong = login(lf.core, "auth/userpass/login/alice", password="wrong")
    _fail(lf, "alice", 4)
    before = _token_count(lf)
    locked_right = login(lf.core, "auth/userpass/login/alice", password=PASSWORD)
    locked_wrong = login(lf.core, "auth/userpass/login/alice", password="wrong")
    assert unknown.error == wrong.error == locked_right.error == locked_wrong.error == INVALID
    assert locked_right.token is None and _token_count(lf) == before


def test_failed_logins_create_no_tokens(lf: CoreFixture) -> None:
    before = _token_count(lf)
    _fail(lf, "alice", 3)
    _fail(lf, "nobody", 7)
    assert _token_count(lf) == before


def test_success_before_the_threshold_resets_the_count(lf: CoreFixture) -> None:
    _fail(lf, "alice", 4)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token
    _fail(lf, "alice", 4)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token


def test_lock_ends_after_the_duration(lf: CoreFixture) -> None:
    _fail(lf, "alice", 5)
    lf.clock.advance(14 * 60)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).error == INVALID
    lf.clock.advance(61)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token


def test_counter_resets_after_lockout_counter_reset(lf: CoreFixture) -> None:
    lf.write("sys/auth/userpass/tune", user_lockout_config={"lockout_threshold": 3,
                                                            "lockout_counter_reset": "10m"})
    _fail(lf, "alice", 2)
    lf.clock.advance(10 * 60 + 1)
    _fail(lf, "alice", 2)  # the count started again: 2 of 3
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token
    _fail(lf, "alice", 2)
    lf.clock.advance(5 * 60)
    _fail(lf, "alice")  # within the reset window: 3 of 3
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).error == INVALID


def test_unknown_users_are_counted_too(lf: CoreFixture) -> None:
    _fail(lf, "mallory", 5)
    listed = lf.read("sys/locked-users").data
    assert listed is not None and listed["total"] == 1
    assert listed["by_namespace"][0]["mount_accessors"][0]["alias_identifiers"] == ["mallory"]


def test_locked_users_listing_and_unlock(lf: CoreFixture) -> None:
    accessor = lf.read("sys/auth/userpass").data["accessor"]  # type: ignore[index]
    assert lf.read("sys/locked-users").data == {"by_namespace": [], "total": 0}
    _fail(lf, "Alice", 5)
    data = lf.read("sys/locked-users", mount_accessor=accessor).data
    assert data is not None and data["total"] == 1
    mount = data["by_namespace"][0]["mount_accessors"][0]
    assert mount == {"mount_accessor": accessor, "counts": 1, "alias_identifiers": ["alice"]}
    assert lf.read("sys/locked-users", mount_accessor="auth_userpass_other").data["total"] == 0  # type: ignore[index]
    lf.write(f"sys/locked-users/{accessor}/unlock/ALICE")
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token
    lf.write(f"sys/locked-users/{accessor}/unlock/alice")  # idempotent


def test_tuned_threshold_and_disable(lf: CoreFixture) -> None:
    lf.write("sys/auth/userpass/tune", user_lockout_config={"lockout_threshold": 2, "lockout_duration": "1m"})
    tuned = lf.read("sys/auth/userpass/tune").data["user_lockout_config"]  # type: ignore[index]
    assert tuned == {"lockout_threshold": "2", "lockout_duration": 60, "lockout_counter_reset": 900,
                     "lockout_disable": False}
    _fail(lf, "alice", 2)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).error == INVALID
    lf.write("sys/auth/userpass/tune", user_lockout_config={"lockout_disable": True})
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token
    _fail(lf, "alice", 10)
    assert login(lf.core, "auth/userpass/login/alice", password=PASSWORD).token


def test_bad_tuning_is_refused(lf: CoreFixture) -> None:
    for bad in ({"lockout_threshold": 0}, {"lockout_duration": "-1s"}, {"lockout_colour": 1},
                {"lockout_disable": "maybe"}):
        with pytest.raises(InvalidRequest):
            lf.write("sys/auth/userpass/tune", user_lockout_config=bad)


def test_tidy_drops_stale_records_but_keeps_locks(lf: CoreFixture) -> None:
    _fail(lf, "bob", 2)
    _fail(lf, "alice", 5)
    lf.clock.advance(16 * 60)
    _fail(lf, "carol", 5)
    lf.core.tick()
    accessor = lf.read("sys/auth/userpass").data["accessor"]  # type: ignore[index]
    store = lf.core.lockout.store
    assert not store.has_records(accessor, "bob") and not store.has_records(accessor, "alice")
    assert store.has_records(accessor, "carol")


def test_lockout_config_given_when_the_method_is_enabled(lf: CoreFixture) -> None:
    lf.write("sys/auth/up2", type="userpass", config={"user_lockout_config": {"lockout_threshold": 2}})
    lf.write("auth/up2/users/bob", password=PASSWORD)
    for _ in range(2):
        assert login(lf.core, "auth/up2/login/bob", password="wrong").error == INVALID
    assert login(lf.core, "auth/up2/login/bob", password=PASSWORD).error == INVALID
    with pytest.raises(InvalidRequest):
        lf.write("sys/auth/up3", type="userpass", config={"user_lockout_config": {"lockout_threshold": -1}})


def test_disabling_the_mount_drops_its_records(lf: CoreFixture) -> None:
    accessor = lf.read("sys/auth/userpass").data["accessor"]  # type: ignore[index]
    _fail(lf, "alice", 5)
    lf.call(Operation.DELETE, "sys/auth/userpass")
    assert lf.core.lockout.store.accessors() == []
    assert accessor not in str(lf.read("sys/locked-users").data)
