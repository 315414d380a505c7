"""The userpass backend: its paths, which of them need no token, and the password-hashing cost."""

from __future__ import annotations

from strongroom.auth.userpass.model import UserStore
from strongroom.auth.userpass.passwords import Hasher
from strongroom.auth.userpass.path_login import path_login
from strongroom.auth.userpass.path_password import path_password
from strongroom.auth.userpass.path_policies import path_policies
from strongroom.auth.userpass.path_users import path_users, path_users_list
from strongroom.crypto.passwords import DEFAULT_PARAMS, Argon2Params
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The userpass auth method authenticates users with a username and a password.

Users are managed under users/; they log in at login/<username>."""


def build(env: EngineEnv, params: Argon2Params = DEFAULT_PARAMS) -> Backend:
    """A userpass mount; tests pass cheap Argon2 `params` to stay fast."""
    store = UserStore(env.storage)
    hasher = Hasher(params)
    return Backend(
        [
            path_users_list(store),
            path_users(store, hasher),
            path_password(store, hasher),
            path_policies(store),
            path_login(store, hasher, env.lockout),
        ],
        help=HELP,
        unauthenticated=[r"login/.*"],
    )


def factory(env: EngineEnv) -> Backend:
    return build(env)
