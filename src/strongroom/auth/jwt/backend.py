"""The jwt/oidc backend (one plug-in, mounted as "jwt" or "oidc"): its paths and which need no token."""

from __future__ import annotations

from strongroom.auth.jwt.keysource import KeySource
from strongroom.auth.jwt.outbound import FetchPolicy, Outbound
from strongroom.auth.jwt.path_config import path_config
from strongroom.auth.jwt.path_login import path_login
from strongroom.auth.jwt.path_oidc import path_auth_url, path_callback
from strongroom.auth.jwt.path_role import path_role, path_role_list
from strongroom.auth.jwt.store import JwtStore
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The JWT/OIDC auth method accepts signed JWTs (login) and runs the OIDC authorization-code flow
(oidc/auth_url, oidc/callback).

Keys come from PEM public keys, a JWKS URL or an OIDC discovery URL (config); roles (role/<name>) bind the
claims a token must carry and set the issued token's policies and TTLs."""


class JwtBackend(Backend):
    def __init__(self, env: EngineEnv, policy: FetchPolicy) -> None:
        self.store = JwtStore(env.storage)
        self.outbound = Outbound(policy)
        self.keys = KeySource(self.outbound, env.clock)
        super().__init__(
            [
                path_config(self.store, self.keys, self.outbound),
                path_role_list(self.store),
                path_role(self.store),
                path_login(self.store, self.keys, env.clock),
                path_auth_url(self.store, env.clock),
                path_callback(self.store, self.keys, self.outbound, env.clock),
            ],
            help=HELP,
            unauthenticated=[r"login", r"oidc/auth_url", r"oidc/callback"],
        )

    def periodic(self, now: float) -> None:
        self.store.tidy_pending(now)


def build(env: EngineEnv, policy: FetchPolicy | None = None) -> JwtBackend:
    """A jwt/oidc mount. The mount option `allow_loopback=true` lets it call an IdP on this host; tests pass
    a `policy` that also allows plain http to loopback."""
    if policy is None:
        loopback = str(env.options.get("allow_loopback", "")).lower() in ("true", "1")
        policy = FetchPolicy(allow_loopback=loopback)
    return JwtBackend(env, policy)


def factory(env: EngineEnv) -> Backend:
    return build(env)
