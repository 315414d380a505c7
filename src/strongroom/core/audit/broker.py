"""The audit broker: the enabled devices, and the fan-out of every request and response entry to them.

Contract with the core:

- `log_request(entry)` / `log_response(entry)` take the raw Vault audit entry (`auth`, `request`,
  `response`, `error`, and optionally `NON_HMAC` exemptions). Each device redacts its own copy (the input is
  never mutated), stamps `time` and `type`, chains and appends it durably. With no device enabled these are
  no-ops. If devices are enabled and none recorded the entry they raise `AuditError`, and the core must
  return no data; one device recording it is enough.
- `enable` writes a test entry through the new device first and refuses the device (AuditError) if that
  fails. API-enabled devices are persisted (`table`) and reopened by `load()` at unseal; `declared=True`
  devices come from the config and are re-declared at every start instead.
- Each device has a random 32-byte salt kept at `salt/<path>` in the (barrier-protected) storage it is given,
  created on first enable and kept across restarts, so `hash()` (sys/audit-hash) agrees with old lines.
  Disabling an API-enabled device drops its salt, as Vault does.

Readers take no lock: the device map is replaced, never mutated, under `_lock`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import orjson

from strongroom.core.audit.config import DeviceConfig, normalize_path, parse_config
from strongroom.core.audit.device import Device
from strongroom.core.audit.errors import AuditError
from strongroom.crypto.random import new_uuid, random_bytes
from strongroom.sdk.clock import Clock, rfc3339
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import Storage

log = logging.getLogger("strongroom.audit")
TABLE_KEY = "table"
SALT_BYTES = 32
TEST_PATH = "sys/audit/test"


class AuditBroker:
    def __init__(self, storage: Storage, clock: Clock, *, stdout: TextIO | None = None) -> None:
        self._storage = storage
        self._clock = clock
        self._stdout = stdout
        self._lock = threading.Lock()
        self._devices: Mapping[str, Device] = {}

    @property
    def enabled(self) -> bool:
        return bool(self._devices)

    def enable(
        self,
        path: str,
        device_type: str,
        options: Mapping[str, str],
        description: str = "",
        *,
        declared: bool = False,
    ) -> None:
        config = parse_config(path, device_type, options, description, declared)
        with self._lock:
            if config.path in self._devices:
                raise InvalidRequest(f"path {config.path!r} is already in use")
            salt, created = self._salt(config.path)
            device = Device(config, salt, self._stdout)
            try:
                device.write(_test_entry(), "request", self._now())
            except Exception as exc:
                device.close()
                if created:
                    self._storage.delete(_salt_key(config.path))
                raise AuditError(f"audit device {config.path!r} failed its test write") from exc
            if not declared:
                self._change_table(lambda devices: {**devices, config.path: _record(config)})
            self._devices = {**self._devices, config.path: device}

    def disable(self, path: str) -> None:
        """Disabling a path with no device is not an error, as in Vault."""
        path = normalize_path(path)
        with self._lock:
            device = self._devices.get(path)
            if device is None:
                return
            self._devices = {p: d for p, d in self._devices.items() if p != path}
            if not device.config.declared:
                self._change_table(lambda devices: {p: r for p, r in devices.items() if p != path})
                self._storage.delete(_salt_key(path))
            device.close()

    def devices(self) -> dict[str, dict[str, Any]]:
        return {path: device.listing() for path, device in sorted(self._devices.items())}

    def stats(self) -> dict[str, dict[str, int]]:
        """Entries written and failed per device since it was opened (for metrics)."""
        return {p: {"writes": d.writes, "failures": d.failures} for p, d in self._devices.items()}

    def load(self) -> None:
        """Bring the API-enabled devices in line with storage: open new ones, close removed ones.

        Idempotent, so another process's enable or disable is picked up by calling it again. Files are
        opened lazily, so a device whose path is broken now still loads, and fails (closed) on write.
        """
        with self._lock:
            persisted = self._persisted()
            current = dict(self._devices)
            for path, device in list(current.items()):
                if not device.config.declared and path not in persisted:
                    del current[path]
                    device.close()
            for path, record in persisted.items():
                if path not in current:
                    config = parse_config(
                        path, record["type"], record.get("options", {}), record.get("description", "")
                    )
                    current[path] = Device(config, self._salt(path)[0], self._stdout)
            self._devices = current

    def hash(self, path: str, value: str) -> str:
        device = self._devices.get(normalize_path(path))
        if device is None:
            raise InvalidRequest("unknown audit backend")
        return device.redactor.hash(value)

    def log_request(self, entry: dict[str, Any]) -> None:
        self._log(entry, "request")

    def log_response(self, entry: dict[str, Any]) -> None:
        self._log(entry, "response")

    def _log(self, entry: Mapping[str, Any], kind: str) -> None:
        devices = self._devices
        if not devices:
            return
        time = self._now()
        recorded = 0
        for path, device in devices.items():
            try:
                device.write(entry, kind, time)
                recorded += 1
            except Exception as exc:  # any failure of one device is that device's failure
                log.error("audit device %s failed to write: %s", path, _describe(exc))
        if not recorded:
            raise AuditError("no audit device could record the request")

    def _now(self) -> str:
        return rfc3339(self._clock.now())

    def _salt(self, path: str) -> tuple[bytes, bool]:
        key = _salt_key(path)
        salt = self._storage.get(key)
        if salt is not None:
            return salt, False
        fresh = random_bytes(SALT_BYTES)  # of processes racing to create it, the first one's is kept
        salt = self._storage.update(key, lambda current: current or fresh) or fresh
        return salt, salt == fresh

    def _persisted(self) -> dict[str, dict[str, Any]]:
        return _devices(self._storage.get(TABLE_KEY))

    def _change_table(self, change: Callable[[dict[str, dict[str, Any]]], Mapping[str, Any]]) -> None:
        """One atomic storage step on the stored table: devices enabled or disabled in two worker processes at
        once are all kept (or all gone)."""
        self._storage.update(TABLE_KEY, lambda raw: orjson.dumps({"devices": change(_devices(raw))}))


def _record(config: DeviceConfig) -> dict[str, Any]:
    return {"type": config.device_type, "description": config.description, "options": dict(config.options)}


def _salt_key(path: str) -> str:
    return "salt/" + path.rstrip("/")


def _test_entry() -> dict[str, Any]:
    return {"auth": {}, "request": {"id": new_uuid(), "operation": "update", "path": TEST_PATH, "data": {}}}


def _describe(exc: BaseException) -> str:
    """Error class and OS reason only: an exception message could quote entry content."""
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or 'I/O error'}"
    return type(exc).__name__


def _devices(raw: bytes | None) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    devices: dict[str, dict[str, Any]] = orjson.loads(raw)["devices"]
    return devices
