from __future__ import annotations

import pytest

from strongroom.server.config import ConfigError, parse

HCL = """
user_lockout "all" {
  lockout_threshold     = 7
  lockout_duration      = "30m"
  lockout_counter_reset = "5m"
}
user_lockout "approle" {
  disable_lockout = true
}
"""


def test_user_lockout_blocks_are_read_by_method_type() -> None:
    config = parse(HCL)
    assert config.user_lockout == {
        "all": {"lockout_threshold": 7, "lockout_duration": "30m", "lockout_counter_reset": "5m"},
        "approle": {"disable_lockout": True},
    }


def test_json_form_is_read_too() -> None:
    config = parse('{"user_lockout": {"userpass": {"lockout_threshold": 3}}}', json_format=True)
    assert config.user_lockout == {"userpass": {"lockout_threshold": 3}}


@pytest.mark.parametrize("text", ['user_lockout "ldap" { lockout_threshold = 3 }',
                                  'user_lockout "all" { lockout_threshold = 0 }',
                                  'user_lockout "all" { lockout_duration = "soon" }',
                                  'user_lockout "all" { lockout_treshold = 3 }'])
def test_bad_blocks_are_refused_at_load(text: str) -> None:
    with pytest.raises(ConfigError, match="user_lockout"):
        parse(text)
