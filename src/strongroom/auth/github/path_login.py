"""login: exchange a GitHub token for a Strongroom token.

The flow of Vault's github method: who is this (/user); is the user in the configured organisation, matched
by id (/user/orgs; the id is learned from /orgs/<organization> at the first login when not configured, then
kept: trust on first use, so a renamed or re-registered organisation name cannot take over); which of the
user's teams belong to it (/user/teams). Policies = mapped teams + mapped user + the config's token_policies.
Every team name (and slug, when it differs) is returned as an external group."""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from strongroom.auth.github.api import GitHubApi
from strongroom.auth.github.model import Config, GitHubStore
from strongroom.auth.jwt.outbound import Outbound
from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import AuthGrant, Response


@dataclass(frozen=True)
class LoginArgs:
    token: str | None = arg("A GitHub personal access token with read:org.", None, sensitive=True)


def _organization_id(store: GitHubStore, api: GitHubApi, config: Config) -> Config:
    if config.organization_id:
        return config
    org_id = api.organization_id(quote(config.organization, safe=""))

    def fill(current: Config | None) -> Config:
        current = current or config
        if current.organization == config.organization and not current.organization_id:
            current = replace(current, organization_id=org_id)
        return current

    return store.modify_config(fill)


def _policies(store: GitHubStore, config: Config, login: str, team_names: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for name in team_names:
        found.extend(store.policies("teams", name) or ())
    found.extend(store.policies("users", login) or ())
    found.extend(config.token.policies)
    return tuple(dict.fromkeys(found))


def path_login(store: GitHubStore, outbound: Outbound) -> Path[LoginArgs]:
    def login(request: Request, args: LoginArgs) -> Response:
        token = (args.token or "").strip()
        if not token:
            raise InvalidRequest("missing token")
        config = store.config()
        if config is None:
            raise InvalidRequest("configuration has not been set")
        api = GitHubApi(outbound, config.api_url, token)
        username = api.user_login()
        config = _organization_id(store, api, config)
        warnings = []
        member = [name for org_id, name in api.organizations() if org_id == config.organization_id]
        if not member:
            raise InvalidRequest("user is not part of required org")
        if member[0].lower() != config.organization.lower():
            warnings.append("the configured organization has been renamed on GitHub; update the config")
        team_names: list[str] = []
        for team in api.teams():
            if team.org_id == config.organization_id:
                team_names.append(team.name)
                if team.slug and team.slug != team.name:
                    team_names.append(team.slug)
        if config.token.bound_cidrs and not remote_addr_allowed(request.remote_addr, config.token.bound_cidrs):
            raise InvalidRequest("request originated from invalid CIDR")
        grant: AuthGrant = config.token.grant(
            display_name=username, alias_name=username,
            metadata={"username": username, "org": config.organization},
        )
        grant = replace(grant, policies=_policies(store, config, username, team_names),
                        groups=tuple(dict.fromkeys(team_names)))
        return Response(auth=grant, warnings=warnings)

    return Path(r"login", LoginArgs, operations={Operation.UPDATE: login},
                synopsis="Log in with a GitHub personal access token.")
