from __future__ import annotations

import pytest

from strongroom.core.lockout.settings import DEFAULT_SETTINGS, LockoutSettings, normalise_alias, parse_settings, resolve
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize("spelling", ["alice", "Alice", " alice", "alice\t", "ALICE\n", "\u00a0alice\u2003",
                                      "\uff41\uff4c\uff49\uff43\uff45", "\uff21LICE"])
def test_every_spelling_folds_to_one_identity(spelling: str) -> None:
    assert normalise_alias(spelling) == "alice"


def test_distinct_names_stay_distinct() -> None:
    assert normalise_alias("al ice") != normalise_alias("alice")
    assert normalise_alias("alice2") != normalise_alias("alice")


def test_defaults_are_vaults() -> None:
    assert LockoutSettings(threshold=5, duration=900, counter_reset=900, disabled=False) == DEFAULT_SETTINGS


def test_precedence_tune_over_type_over_all() -> None:
    server = {"all": {"lockout_threshold": 10, "lockout_duration": "1h"}, "userpass": {"lockout_threshold": 3}}
    assert resolve(server, "userpass", {}) == LockoutSettings(3, 3600, 900, False)
    assert resolve(server, "approle", {}) == LockoutSettings(10, 3600, 900, False)
    assert resolve(server, "userpass", {"lockout_disable": True}) == LockoutSettings(3, 3600, 900, True)


@pytest.mark.parametrize("raw", [{"lockout_threshold": 0}, {"lockout_threshold": "x"}, {"lockout_duration": "0s"},
                                 {"lockout_counter_reset": "-5m"}, {"disable_lockout": "perhaps"},
                                 {"lockout_thresold": 5}])
def test_bad_settings_are_refused(raw: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest):
        parse_settings(raw)
