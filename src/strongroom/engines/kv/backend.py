"""The KV v2 backend: versioned secrets built from one path group per file."""

from __future__ import annotations

from strongroom.engines.kv.managed import versioned_values
from strongroom.engines.kv.path_config import path_config
from strongroom.engines.kv.path_data import path_data
from strongroom.engines.kv.path_metadata import path_metadata
from strongroom.engines.kv.path_subkeys import path_subkeys
from strongroom.engines.kv.path_versions import paths_versions
from strongroom.engines.kv.store import KvStore
from strongroom.sdk.framework import Backend, EngineEnv

HELP = """The KV v2 engine stores versioned key/value secrets: data/ for reading and writing versions, metadata/
for settings and history, delete/, undelete/ and destroy/ for individual versions, subkeys/ for structure."""


def versioned_backend(env: EngineEnv) -> Backend:
    store = KvStore(env.storage, env.clock)
    return Backend(
        [
            path_config(store),
            path_data(store),
            path_metadata(store),
            path_subkeys(store),
            *paths_versions(store),
        ],
        help=HELP,
        managed_values=lambda: versioned_values(store),
    )
