from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness


def test_config_round_trip(github_mount: EngineHarness) -> None:
    with pytest.raises(NotFound):
        github_mount.read("config")
    github_mount.write("config", organization="acme", base_url="https://ghe.example.com/api/v3/",
                       token_policies=["base"], ttl="1h", max_ttl="2h")
    data = github_mount.read("config").data
    assert (data["organization"], data["organization_id"], data["base_url"]) == (
        "acme", 0, "https://ghe.example.com/api/v3/")
    assert (data["token_policies"], data["token_ttl"], data["ttl"], data["token_max_ttl"]) == (["base"], 3600,
                                                                                              3600, 7200)


def test_updates_keep_what_is_not_sent_and_reset_the_id_with_the_org(github_mount: EngineHarness) -> None:
    github_mount.write("config", organization="acme", organization_id=100)
    github_mount.write("config", token_ttl=60)
    assert github_mount.read("config").data["organization_id"] == 100
    github_mount.write("config", organization="other")
    assert github_mount.read("config").data["organization_id"] == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "organization is a required parameter"),
    ({"organization": "  "}, "organization is a required parameter"),
    ({"organization": "acme", "organization_id": -1}, "negative"),
    ({"organization": "acme", "base_url": "http://ghe.example.com/api/v3/"}, "https"),
    ({"organization": "acme", "base_url": "https://169.254.169.254/"}, "may not call"),
    ({"organization": "acme", "token_type": "gold"}, "token_type"),
])
def test_invalid_config(github_mount: EngineHarness, fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        github_mount.write("config", **fields)


def test_login_needs_no_token(github_mount: EngineHarness) -> None:
    assert github_mount.backend.is_unauthenticated("login")
    assert not github_mount.backend.is_unauthenticated("map/teams/x")
