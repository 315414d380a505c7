"""The endpoints that work while sealed (init, unseal, seal-status, health, leader), as plain functions of
the core returning bare bodies; the HTTP layer serves them before the sealed check, sys/ after it."""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom import __version__
from strongroom.core.seal.shamir_seal import decode_share
from strongroom.sdk.errors import InvalidRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core


def seal_status(core: Core) -> dict[str, Any]:
    config = core.seal.config()
    body: dict[str, Any] = {
        "type": "shamir",
        "initialized": config is not None,
        "sealed": core.sealed,
        "t": config.threshold if config else 0,
        "n": config.shares if config else 0,
        "progress": len(core.seal.progress.parts),
        "nonce": core.seal.progress.nonce,
        "version": __version__,
        "build_date": "",
        "migration": False,
        "recovery_seal": False,
        "storage_type": core.config.storage_type,
    }
    if not core.sealed:
        body["cluster_name"] = core.config.cluster_name
        body["cluster_id"] = core.cluster_id
    return body


def init(core: Core, data: Mapping[str, Any]) -> dict[str, Any]:
    if core.seal.config() is not None:
        raise InvalidRequest("Vault is already initialized")
    # Encrypting shares to PGP keys and auto-unseal are not built: refuse rather than hand out the shares in
    # the clear to a caller who asked for them encrypted.
    for name in ("pgp_keys", "root_token_pgp_key", "recovery_shares", "recovery_threshold", "recovery_pgp_keys",
                 "stored_shares"):
        if data.get(name):
            raise InvalidRequest(f"{name} is not supported by this server")
    try:
        shares = int(data.get("secret_shares", 0))
        threshold = int(data.get("secret_threshold", 0))
    except (TypeError, ValueError):
        raise InvalidRequest("secret_shares and secret_threshold must be integers") from None
    keys, root_token = core.initialize(shares, threshold)
    return {
        "keys": [k.hex() for k in keys],
        "keys_base64": [base64.b64encode(k).decode() for k in keys],
        "root_token": root_token,
    }


def unseal(core: Core, data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("reset"):
        core.reset_unseal()
        return seal_status(core)
    key = data.get("key")
    if not isinstance(key, str) or not key:
        raise InvalidRequest("'key' must be specified in request body as JSON, or 'reset' set to true")
    if core.seal.config() is None:
        raise InvalidRequest("Vault is not initialized")
    core.submit_unseal_key(decode_share(key))
    return seal_status(core)


def _code(query: Mapping[str, str], name: str, default: int) -> int:
    value = query.get(name)
    if value is None:
        return default
    try:
        code = int(value)
    except ValueError:
        raise InvalidRequest(f"invalid {name}") from None
    if not 100 <= code <= 599:  # anything else is not an HTTP status line the server could send
        raise InvalidRequest(f"invalid {name}")
    return code


def health(core: Core, query: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    initialized = core.seal.config() is not None
    body: dict[str, Any] = {
        "initialized": initialized,
        "sealed": core.sealed,
        "standby": core.sealed,
        "performance_standby": False,
        "replication_performance_mode": "disabled" if not core.sealed else "unknown",
        "replication_dr_mode": "disabled" if not core.sealed else "unknown",
        "server_time_utc": int(time.time()),
        "version": __version__,
    }
    if not initialized:
        return _code(query, "uninitcode", 501), body
    if core.sealed:
        return _code(query, "sealedcode", 503), body
    body["cluster_name"] = core.config.cluster_name
    body["cluster_id"] = core.cluster_id
    return _code(query, "activecode", 200), body


def leader(core: Core) -> dict[str, Any]:
    return {"ha_enabled": False, "is_self": False, "active_time": "0001-01-01T00:00:00Z", "leader_address": "",
            "leader_cluster_address": "", "performance_standby": False,
            "performance_standby_last_remote_wal": 0}
