"""GitHub auth against a local stand-in for the GitHub REST API (see conftest: GitHub itself cannot run here).
Most tests use a GitHub Enterprise base URL (`.../api/v3/`)."""

from __future__ import annotations

import pytest

from strongroom.auth.github import factory
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.response import AuthGrant

from .conftest import FakeGitHub, team

ACME, OTHER = 100, 200
TOKEN = "ghp_aliceTokenCanary0001"


@pytest.fixture(autouse=True)
def people(github: FakeGitHub) -> None:
    github.orgs = {"acme": ACME, "other": OTHER}
    github.users[TOKEN] = {
        "login": "alice",
        "orgs": [{"login": "other", "id": OTHER}, {"login": "acme", "id": ACME}],
        "teams": [team("Platform Team", "platform-team", ACME), team("ops", "ops", ACME),
                  team("Platform Team", "platform-team", OTHER), *(team(f"T{i}", f"t{i}", ACME) for i in range(5))],
    }
    github.users["ghp_bob"] = {"login": "bob", "orgs": [{"login": "other", "id": OTHER}], "teams": []}


def configure(mount: EngineHarness, github: FakeGitHub, **extra: object) -> None:
    mount.write("config", organization="acme", base_url=github.base_url, **extra)


def login(mount: EngineHarness, token: str = TOKEN) -> AuthGrant:
    auth = mount.write("login", token=token).auth
    assert auth is not None
    return auth


def test_login_maps_teams_and_user_to_policies(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github, token_policies=["base"], token_ttl="1h", token_max_ttl="2h")
    mount.write("map/teams/platform-team", value="deploy,read")
    mount.write("map/teams/OPS", value="ops")
    mount.write("map/users/Alice", value="alice-own")
    mount.write("map/teams/unrelated", value="nope")
    auth = login(mount)
    assert auth.policies == ("deploy", "read", "ops", "alice-own", "base")
    assert (auth.display_name, auth.alias_name) == ("alice", "alice")
    assert auth.metadata == {"username": "alice", "org": "acme"}
    assert (auth.ttl, auth.max_ttl) == (3600, 7200)
    # Every team of the organisation, by name and (when different) slug, as external groups.
    assert auth.groups == ("Platform Team", "platform-team", "ops", "T0", "t0", "T1", "t1", "T2", "t2", "T3", "t3",
                           "T4", "t4")


def test_teams_are_paginated_through_link_headers(mount: EngineHarness, github: FakeGitHub) -> None:
    github.page_cap = 2
    configure(mount, github)
    mount.write("map/teams/t4", value="last-page")  # T4 is on the fourth page of /user/teams
    auth = login(mount)
    assert auth.policies == ("last-page",)
    assert github.count("/user/teams") == 4
    assert github.count("/user/orgs") == 1


def test_pagination_cannot_leave_the_api(mount: EngineHarness, github: FakeGitHub) -> None:
    github.page_cap = 2
    github.next_link_override = "http://127.0.0.1:9/elsewhere/user/teams?page=2"
    configure(mount, github)
    with pytest.raises(InvalidRequest, match="pagination left the API"):
        login(mount)


def test_organisation_id_is_learned_once_and_kept(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github)
    assert mount.read("config").data["organization_id"] == 0
    login(mount)
    login(mount)
    assert mount.read("config").data["organization_id"] == ACME
    assert github.count("/orgs/acme") == 1


def test_membership_is_checked_by_id_and_a_renamed_org_only_warns(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github, organization_id=ACME)
    github.users[TOKEN]["orgs"] = [{"login": "acme-renamed", "id": ACME}]
    response = mount.write("login", token=TOKEN)
    assert response.auth is not None
    assert any("renamed" in w for w in response.warnings)
    # A different organisation that took the old name is not the configured one.
    github.users[TOKEN]["orgs"] = [{"login": "acme", "id": 999}]
    with pytest.raises(InvalidRequest, match="user is not part of required org"):
        login(mount)


def test_non_members_are_refused(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github)
    with pytest.raises(InvalidRequest, match="user is not part of required org"):
        login(mount, "ghp_bob")


def test_a_bad_token_is_refused_without_echoing_it(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github)
    with pytest.raises(InvalidRequest, match="GET /user failed: status 401") as raised:
        login(mount, "ghp_wrongCanary0002")
    assert "Canary" not in str(raised.value)
    with pytest.raises(InvalidRequest, match="missing token"):
        login(mount, "")


def test_login_without_config(mount: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="configuration has not been set"):
        login(mount)


def test_public_github_style_base_url_without_a_prefix(mount: EngineHarness, github: FakeGitHub) -> None:
    github.prefix = ""
    mount.write("config", organization="acme", base_url=github.url)  # no trailing slash: one is added
    assert login(mount).alias_name == "alice"


def test_token_bound_cidrs_are_checked(mount: EngineHarness, github: FakeGitHub) -> None:
    configure(mount, github, token_bound_cidrs=["10.0.0.0/8"])
    mount.remote_addr = "192.0.2.7"
    with pytest.raises(InvalidRequest, match="invalid CIDR"):
        login(mount)
    mount.remote_addr = "10.9.9.9"
    assert login(mount).bound_cidrs == ("10.0.0.0/8",)


def test_production_mounts_refuse_plain_http_and_loopback(github: FakeGitHub) -> None:
    production = EngineHarness(factory, mount_path="auth/github/")
    with pytest.raises(InvalidRequest, match="https"):
        production.write("config", organization="acme", base_url=github.base_url)
    with pytest.raises(InvalidRequest, match="loopback"):
        production.write("config", organization="acme", base_url="https://127.0.0.1:1/api/v3/")
    with pytest.raises(InvalidRequest, match="may not call"):
        production.write("config", organization="acme", base_url="https://169.254.169.254/api/v3/")
