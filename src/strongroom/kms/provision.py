"""Create what the KMS face needs when it is missing: the transit mount for keys (with upsert disabled, so an
Encrypt naming an unknown key cannot create it), the KV v1 alias mount and the sigv4 auth method. This is server
set-up, like the default mounts, done once per storage; operators may instead mount them themselves."""

from __future__ import annotations

import logging

from strongroom.core.core import Core
from strongroom.kms.settings import KmsSettings
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.request import Operation, Request

log = logging.getLogger("strongroom.kms")


def ensure_mounts(core: Core, settings: KmsSettings) -> None:
    if core.sealed or not settings.auto_mount:
        return
    if core.mount_entry(settings.transit_mount) is None:
        _mount(core, "secret", settings.transit_mount, "transit", "keys of the AWS KMS API", {})
        mounted = core.router.get(settings.transit_mount)
        if mounted is not None:
            mounted.backend.handle(Request(Operation.UPDATE, "config/keys", data={"disable_upsert": True}))
    if core.mount_entry(settings.alias_mount) is None:
        _mount(core, "secret", settings.alias_mount, "kv", "aliases of the AWS KMS API", {"version": "1"})
    if core.mount_entry(settings.sigv4_mount) is None:
        _mount(core, "auth", settings.sigv4_mount.removeprefix("auth/"), "sigv4", "AWS SigV4 access keys", {})


def _mount(core: Core, table: str, path: str, kind: str, description: str, options: dict[str, str]) -> None:
    try:
        core.mounts.mount(table, path, kind, description=description, options=options)
        log.info("mounted %s at %s for the KMS API", kind, path)
    except InvalidRequest:
        core.mounts.refresh()  # another worker process mounted it first
