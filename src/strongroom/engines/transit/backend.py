"""The transit backend: encryption as a service over the key service, one path group per file.

Paths are matched in order, so the hot ones (encrypt, decrypt) come first.
"""

from __future__ import annotations

from strongroom.engines.transit.managed import exported_values
from strongroom.engines.transit.path_config import paths_config
from strongroom.engines.transit.path_datakey import path_datakey
from strongroom.engines.transit.path_decrypt import path_decrypt, path_rewrap
from strongroom.engines.transit.path_encrypt import path_encrypt
from strongroom.engines.transit.path_export import paths_export
from strongroom.engines.transit.path_hmac import path_hmac
from strongroom.engines.transit.path_import import paths_import
from strongroom.engines.transit.path_keypair import path_keypair
from strongroom.engines.transit.path_keys import paths_keys
from strongroom.engines.transit.path_sign import paths_sign
from strongroom.engines.transit.path_tools import paths_tools
from strongroom.engines.transit.settings import Settings
from strongroom.keys import KeyService
from strongroom.keys.usage import USAGE_BLOCK, USAGE_LIMIT
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The transit engine encrypts, decrypts, signs, verifies and HMACs data with named, versioned keys that
never leave the server (unless created exportable). Keys rotate on demand or on a schedule, and automatically
before a key version reaches its safe encryption count."""


class TransitBackend(Backend):
    def __init__(self, service: KeyService, settings: Settings) -> None:
        self.service = service
        super().__init__(
            [
                path_encrypt(service, settings),
                path_decrypt(service),
                path_rewrap(service),
                path_datakey(service),
                *paths_sign(service),
                path_hmac(service),
                *paths_import(service),
                *paths_keys(service),
                *paths_export(service),
                *paths_tools(),
                path_keypair(),  # for the KMS face's GenerateDataKeyPair
                *paths_config(settings),
            ],
            help=HELP,
            managed_values=lambda: exported_values(service),
        )

    def periodic(self, now: float) -> None:
        self.service.periodic(now)


def _option(env: EngineEnv, name: str, default: int) -> int:
    raw = env.options.get(name)
    try:
        return int(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        return default


def transit_backend(env: EngineEnv) -> TransitBackend:
    """Mount options `usage_limit` and `usage_block` can lower (never raise) the per-version encryption bound."""
    service = KeyService(env.storage, env.clock, usage_limit=_option(env, "usage_limit", USAGE_LIMIT),
                         usage_block=_option(env, "usage_block", USAGE_BLOCK))
    return TransitBackend(service, Settings(env.storage))
