"""Settings the core needs, filled in by the server from its configuration file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strongroom.core.routing.mount_table import SYSTEM_DEFAULT_TTL


@dataclass(frozen=True)
class AuditDeviceConfig:
    path: str
    type: str
    options: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class CoreConfig:
    default_lease_ttl: int = SYSTEM_DEFAULT_TTL
    max_lease_ttl: int = SYSTEM_DEFAULT_TTL
    audit_devices: tuple[AuditDeviceConfig, ...] = ()
    # Enabling audit devices through the API is refused unless allowed, and then only inside these directories
    # (CVE-2025-6000: an API-created file device was a path to code execution).
    unsafe_allow_api_audit_creation: bool = False
    allowed_audit_directories: tuple[str, ...] = ()
    dev_mode: bool = False
    storage_type: str = "inmem"
    cluster_name: str = "strongroom-cluster"
    # The server file's `user_lockout "<type>" { ... }` blocks, by method type ("all" for every method).
    user_lockout: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Where rate-limit windows are shared by the server's processes (a SQLite file); "" keeps them in memory.
    quota_state_path: str = ""
