"""The mounts the core provides itself: sys/, identity/, auth/token/, and the default mount tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.routing.mount_table import MountEntry
from strongroom.sdk.framework import Backend
from strongroom.sdk.storage import StorageView

if TYPE_CHECKING:
    from strongroom.core.core import Core


def install(core: Core) -> None:
    from strongroom.core.identity.backend import identity_backend
    from strongroom.core.system.backend import system_backend
    from strongroom.core.tokens.backend import token_backend

    def build_system(entry: MountEntry, storage: StorageView) -> Backend:
        return system_backend(core)

    def build_token(entry: MountEntry, storage: StorageView) -> Backend:
        return token_backend(core)

    def mount_of(accessor: str) -> tuple[str, str]:
        found = next((m.entry for m in core.router.all() if m.entry.accessor == accessor), None)
        return ("", "") if found is None else (found.router_path, found.type)

    def build_identity(entry: MountEntry, storage: StorageView) -> Backend:
        return identity_backend(core.identity, mount_of)

    core.mounts.builtin["secret:system"] = build_system
    core.mounts.builtin["secret:identity"] = build_identity
    core.mounts.builtin["auth:token"] = build_token


def default_mounts(core: Core) -> dict[str, list[MountEntry]]:
    secret = [
        MountEntry.new("cubbyhole/", "cubbyhole", "secret", description="per-token private secret storage",
                       local=True),
        MountEntry.new("identity/", "identity", "secret", description="identity store"),
        MountEntry.new("sys/", "system", "secret", description="system endpoints used for control, policy and "
                       "debugging", seal_wrap=True),
    ]
    if core.config.dev_mode and "kv" in core.mounts.factories["secret"]:
        secret.append(MountEntry.new("secret/", "kv", "secret", description="key/value secret storage",
                                     options={"version": "2"}))
    auth = [MountEntry.new("token/", "token", "auth", description="token based credentials")]
    return {"secret": secret, "auth": auth}
