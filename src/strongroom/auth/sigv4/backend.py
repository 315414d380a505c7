"""The sigv4 backend: access keys issued by Strongroom, and login/verify of requests signed with them."""

from __future__ import annotations

from strongroom.auth.sigv4.model import KeyStore
from strongroom.auth.sigv4.path_keys import paths_keys
from strongroom.auth.sigv4.path_login import Verifier, paths_login
from strongroom.auth.sigv4.settings import SettingsStore, path_config
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The sigv4 auth method authenticates requests signed with AWS Signature Version 4.

Operators issue access keys under keys/<name>, each bound to policies like any other login. A signed request
is exchanged for a token at login; the KMS face does this for every AWS KMS API call."""


def build(env: EngineEnv) -> Backend:
    store = KeyStore(env.storage)
    settings = SettingsStore(env.storage)
    verifier = Verifier(store, settings, env.clock)
    return Backend(
        [*paths_login(verifier), *paths_keys(store, env.clock), path_config(settings)],
        help=HELP,
        unauthenticated=["login", "verify"],
    )


def factory(env: EngineEnv) -> Backend:
    return build(env)
