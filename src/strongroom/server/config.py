"""The server configuration file: HCL (or JSON) with OpenBao's keys where they exist.

    storage "sqlite" { path = "/var/lib/strongroom/data.db" }     # or storage "inmem" {}
    listener "tcp" {
      address         = "127.0.0.1:8200"
      tls_cert_file   = "/etc/strongroom/tls.crt"                 # TLS 1.2+ when both files are set
      tls_key_file    = "/etc/strongroom/tls.key"
      tls_min_version = "tls12"                                   # or "tls13"
      tls_disable     = false
    }
    api_addr          = "https://vault.example.com:8200"
    audit "file" "main" { options { file_path = "/var/log/strongroom/audit.log" } }
    max_request_size  = 33554432
    default_lease_ttl = "768h"
    max_lease_ttl     = "768h"
    unsafe_allow_api_audit_creation = false                       # OpenBao's switch
    allowed_audit_directories = ["/var/log/strongroom"]          # Strongroom: where API-made devices may write
    kms_listener "tcp" { address = "127.0.0.1:8300" }            # optional: the AWS KMS API on a port of its own
    kms { account_id = "123456789012"  mount = "kms"  alias_mount = "kms-aliases"  auto_mount = true }
    user_lockout "all" {                                          # Vault's block; also "userpass", "approle"
      lockout_threshold = 5  lockout_duration = "15m"  lockout_counter_reset = "15m"  disable_lockout = false
    }
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

from strongroom.core.config import AuditDeviceConfig
from strongroom.core.lockout.settings import SUPPORTED_TYPES, parse_settings
from strongroom.kms.settings import KmsSettings
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest


class ConfigError(ValueError):
    """The configuration file is missing, malformed or inconsistent; the message says which key."""


@dataclass(frozen=True)
class ListenerConfig:
    address: str = "127.0.0.1:8200"
    tls_cert_file: str = ""
    tls_key_file: str = ""
    tls_min_version: str = "tls12"
    tls_disable: bool = False

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert_file and self.tls_key_file) and not self.tls_disable

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.address.rpartition(":")
        try:
            return host.strip("[]") or "127.0.0.1", int(port)
        except ValueError:
            raise ConfigError(f"listener address {self.address!r} must be HOST:PORT") from None


@dataclass(frozen=True)
class ServerConfig:
    storage_type: str = "inmem"
    storage_path: str = ""
    listener: ListenerConfig = field(default_factory=ListenerConfig)
    api_addr: str = ""
    audit_devices: tuple[AuditDeviceConfig, ...] = ()
    max_request_size: int = 32 * 1024 * 1024
    default_lease_ttl: int = 768 * 3600
    max_lease_ttl: int = 768 * 3600
    unsafe_allow_api_audit_creation: bool = False
    allowed_audit_directories: tuple[str, ...] = ()
    # Server processes sharing the listener; 0 = one per core (at most 4). In-memory storage needs 1.
    workers: int = 0
    # The AWS KMS API answers POST / on the main listener, and also here when set (single-process servers).
    kms_listener: ListenerConfig | None = None
    kms: KmsSettings = field(default_factory=KmsSettings)
    # `user_lockout "<type>"` blocks by method type ("all" for every method), checked at load.
    user_lockout: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def worker_count(self) -> int:
        if self.storage_type != "sqlite":
            return 1
        return self.workers or max(1, min(os.cpu_count() or 1, 4))


def _clean(value: Any) -> Any:
    """python-hcl2 keeps quotes around strings and marks blocks; undo both."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items() if k != "__is_block__"}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _blocks(raw: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    """`name "label" { ... }` blocks as (label, body) pairs, from HCL or JSON."""
    found = raw.get(name) or []
    if isinstance(found, dict):
        found = [found]
    return [(label, body) for block in found for label, body in block.items()]


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        return value[0] if value else {}
    return value if isinstance(value, dict) else {}


def parse(text: str, *, json_format: bool = False) -> ServerConfig:
    try:
        raw = json.loads(text) if json_format else _clean(hcl2.loads(text))
    except Exception as exc:
        raise ConfigError(f"cannot parse configuration: {type(exc).__name__}: {str(exc)[:200]}") from None
    storages = _blocks(raw, "storage")
    storage_type, storage_body = storages[0] if storages else ("inmem", {})
    if storage_type not in ("sqlite", "inmem"):
        raise ConfigError(f'storage "{storage_type}" is not supported; use "sqlite" or "inmem"')
    if storage_type == "sqlite" and not storage_body.get("path"):
        raise ConfigError('storage "sqlite" needs a path')
    listeners = _blocks(raw, "listener")
    listener = ListenerConfig()
    if listeners:
        kind, body = listeners[0]
        if kind != "tcp":
            raise ConfigError(f'listener "{kind}" is not supported; use "tcp"')
        listener = _listener(body)
    audits = []
    for device_type, named in _blocks(raw, "audit"):
        for name, body in _first_named(named):
            options = {k: str(v) for k, v in _first(body.get("options", {})).items()}
            audits.append(AuditDeviceConfig(name, device_type, options, str(body.get("description", ""))))
    kms_listener = None
    for kind, body in _blocks(raw, "kms_listener")[:1]:
        if kind != "tcp":
            raise ConfigError(f'kms_listener "{kind}" is not supported; use "tcp"')
        kms_listener = _listener(body)
    return ServerConfig(
        kms_listener=kms_listener,
        kms=_kms_settings(_first(raw.get("kms", {}))),
        storage_type=storage_type,
        storage_path=str(storage_body.get("path", "")),
        listener=listener,
        api_addr=str(raw.get("api_addr", "")),
        audit_devices=tuple(audits),
        # OpenBao sets max_request_size per listener; a top-level value is accepted too.
        max_request_size=_int(_listener_key(listeners, "max_request_size", raw.get("max_request_size", 32 << 20)),
                              "max_request_size", minimum=1),
        default_lease_ttl=_duration(raw.get("default_lease_ttl", "768h"), "default_lease_ttl"),
        max_lease_ttl=_duration(raw.get("max_lease_ttl", "768h"), "max_lease_ttl"),
        unsafe_allow_api_audit_creation=_bool(raw.get("unsafe_allow_api_audit_creation", False),
                                              "unsafe_allow_api_audit_creation"),
        allowed_audit_directories=tuple(str(d) for d in _list(raw.get("allowed_audit_directories", ()),
                                                                "allowed_audit_directories")),
        workers=_int(raw.get("workers", 0), "workers", minimum=0),
        user_lockout=_user_lockout(raw),
    )


def _listener(body: dict[str, Any]) -> ListenerConfig:
    known = set(ListenerConfig.__dataclass_fields__)
    values: dict[str, Any] = {k: str(v) for k, v in body.items() if k in known and k != "tls_disable"}
    if "tls_disable" in body:
        values["tls_disable"] = _bool(body["tls_disable"], "listener.tls_disable")
    return ListenerConfig(**values)


def _listener_key(listeners: list[tuple[str, dict[str, Any]]], key: str, default: Any) -> Any:
    return listeners[0][1].get(key, default) if listeners else default


_TRUE, _FALSE = ("1", "t", "true"), ("0", "f", "false")


def _bool(value: Any, key: str) -> bool:
    """Go's strconv.ParseBool, as Vault reads `tls_disable = "true"`: a string "false" must not mean true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in (*_TRUE, *_FALSE):
        return value.strip().lower() in _TRUE
    raise ConfigError(f"{key} must be true or false")


def _int(value: Any, key: str, *, minimum: int) -> int:
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or number < minimum:
        raise ConfigError(f"{key} must be an integer of at least {minimum}")
    return number


def _duration(value: Any, key: str) -> int:
    try:
        seconds = parse_duration(value, key)
    except InvalidRequest as exc:
        raise ConfigError(f"{key}: {exc.message}") from None
    if seconds < 0:
        raise ConfigError(f"{key} must not be negative")
    return seconds


def _list(value: Any, key: str) -> list[Any]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise ConfigError(f"{key} must be a list")


def _user_lockout(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    blocks: dict[str, dict[str, Any]] = {}
    for kind, body in _blocks(raw, "user_lockout"):
        if kind not in ("all", *SUPPORTED_TYPES):
            raise ConfigError(f'user_lockout "{kind}" is not supported; use "all", "userpass" or "approle"')
        body = _first(body)
        try:
            parse_settings(body)
        except InvalidRequest as exc:
            raise ConfigError(f'user_lockout "{kind}": {exc.message}') from None
        blocks[kind] = dict(body)
    return blocks


def _kms_settings(body: dict[str, Any]) -> KmsSettings:
    account = str(body.get("account_id", KmsSettings.account_id))
    if not (account.isdigit() and len(account) == 12):
        raise ConfigError("kms.account_id must be 12 digits")
    mount = str(body.get("mount", "kms")).strip("/") + "/"
    aliases = str(body.get("alias_mount", "kms-aliases")).strip("/") + "/"
    return KmsSettings(account_id=account, transit_mount=mount,
                       alias_mount=aliases, auto_mount=_bool(body.get("auto_mount", True), "kms.auto_mount"))


def _first_named(named: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(named, list):
        return [(k, v) for item in named for k, v in item.items()]
    return list(named.items()) if isinstance(named, dict) else []


def load(path: str | Path) -> ServerConfig:
    file = Path(path)
    try:
        text = file.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {file}: {exc.strerror}") from None
    return parse(text, json_format=file.suffix == ".json")
