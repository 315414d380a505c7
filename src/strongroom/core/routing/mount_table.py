"""Mount entries as stored in `core/mounts` (secrets engines) and `core/auth` (auth methods)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

from strongroom.crypto.random import new_uuid, random_bytes

SYSTEM_DEFAULT_TTL = 768 * 3600


@dataclass(frozen=True)
class MountConfig:
    default_lease_ttl: int = 0
    max_lease_ttl: int = 0
    force_no_cache: bool = False
    listing_visibility: str = ""
    audit_non_hmac_request_keys: tuple[str, ...] = ()
    audit_non_hmac_response_keys: tuple[str, ...] = ()
    passthrough_request_headers: tuple[str, ...] = ()
    token_type: str = ""
    # Auth mounts: the tuned `user_lockout_config` (lockout_threshold, lockout_duration, ...), as given.
    user_lockout: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MountEntry:
    """`path` is relative to its table and ends with '/': "secret/" or, in the auth table, "userpass/"."""

    path: str
    type: str
    table: str  # "secret" or "auth"
    accessor: str
    uuid: str
    description: str = ""
    options: dict[str, str] = field(default_factory=dict)
    config: MountConfig = field(default_factory=MountConfig)
    local: bool = False
    seal_wrap: bool = False

    @property
    def router_path(self) -> str:
        return f"auth/{self.path}" if self.table == "auth" else self.path

    @property
    def storage_prefix(self) -> str:
        return f"{'auth' if self.table == 'auth' else 'logical'}/{self.uuid}/"

    @classmethod
    def new(cls, path: str, type_: str, table: str, **kwargs: Any) -> MountEntry:
        prefix = f"auth_{type_}" if table == "auth" else type_
        accessor = f"{prefix}_{random_bytes(4).hex()}"
        return cls(path=path, type=type_, table=table, accessor=accessor, uuid=new_uuid(), **kwargs)

    def with_config(self, config: MountConfig) -> MountEntry:
        return replace(self, config=config)

    def to_api(self, default_ttl: int = 0, max_ttl: int = 0) -> dict[str, Any]:
        """The sys/mounts and sys/auth listing shape."""
        config: dict[str, Any] = {
            "default_lease_ttl": self.config.default_lease_ttl,
            "max_lease_ttl": self.config.max_lease_ttl,
            "force_no_cache": self.config.force_no_cache,
        }
        if self.table == "auth":
            config["token_type"] = self.config.token_type or "default-service"
        if self.config.listing_visibility:
            config["listing_visibility"] = self.config.listing_visibility
        if self.config.user_lockout:
            config["user_lockout_config"] = dict(self.config.user_lockout)
        for name in ("audit_non_hmac_request_keys", "audit_non_hmac_response_keys", "passthrough_request_headers"):
            if getattr(self.config, name):
                config[name] = list(getattr(self.config, name))
        return {
            "accessor": self.accessor,
            "config": config,
            "deprecation_status": "supported",
            "description": self.description,
            "external_entropy_access": False,
            "local": self.local,
            "options": dict(self.options) if self.options or self.type == "kv" else None,
            "plugin_version": "",
            "running_plugin_version": "v0.1.0+builtin.strongroom",
            "running_sha256": "",
            "seal_wrap": self.seal_wrap,
            "type": self.type,
            "uuid": self.uuid,
        }


def dump_table(entries: list[MountEntry]) -> bytes:
    return orjson.dumps([asdict(e) for e in entries])


def load_table(data: bytes) -> list[MountEntry]:
    entries = []
    for raw in orjson.loads(data):
        config = raw.pop("config")
        for key in ("audit_non_hmac_request_keys", "audit_non_hmac_response_keys", "passthrough_request_headers"):
            config[key] = tuple(config.get(key, ()))
        entries.append(MountEntry(config=MountConfig(**config), **raw))
    return entries
