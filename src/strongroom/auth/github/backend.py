"""The github backend: its paths and which need no token."""

from __future__ import annotations

from strongroom.auth.github.model import GitHubStore
from strongroom.auth.github.path_config import path_config
from strongroom.auth.github.path_login import path_login
from strongroom.auth.github.path_map import path_map, path_map_list
from strongroom.auth.jwt.outbound import FetchPolicy, Outbound
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The GitHub auth method lets members of a GitHub organisation log in with a personal access token.

Teams (map/teams/<team>) and users (map/users/<login>) map to policies; base_url points at GitHub Enterprise."""


def build(env: EngineEnv, policy: FetchPolicy | None = None) -> Backend:
    """A github mount. The mount option `allow_loopback=true` lets it call an API on this host; tests pass a
    `policy` that also allows plain http to loopback."""
    if policy is None:
        policy = FetchPolicy(allow_loopback=str(env.options.get("allow_loopback", "")).lower() in ("true", "1"))
    store = GitHubStore(env.storage)
    outbound = Outbound(policy)
    return Backend(
        [
            path_config(store, outbound),
            path_map_list(store, "teams"),
            path_map(store, "teams"),
            path_map_list(store, "users"),
            path_map(store, "users"),
            path_login(store, outbound),
        ],
        help=HELP,
        unauthenticated=[r"login"],
    )


def factory(env: EngineEnv) -> Backend:
    return build(env)
