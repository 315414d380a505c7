"""The built-in identity/ mount: entities, entity aliases, groups, group aliases, lookups and merge."""

from __future__ import annotations

from strongroom.core.identity import merge, path_alias, path_entity, path_group, path_lookup
from strongroom.core.identity.api import MountLookup
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.framework import Backend

HELP = """The identity store: entities (a person or service, with one alias per auth mount) and groups.

An entity's policies, and those of its groups (direct and inherited), apply to every token issued to it.
External groups take their members from the auth method at login, through their group alias."""


def identity_backend(store: IdentityStore, mounts: MountLookup) -> Backend:
    return Backend([
        merge.path_merge(store),
        *path_entity.paths(store, mounts),
        *path_alias.paths(store, mounts),
        *path_group.paths(store, mounts),
        *path_lookup.paths(store, mounts),
    ], help=HELP)
