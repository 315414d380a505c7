"""One enabled audit device: its configuration, its salted redactor and its sink."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, TextIO

import orjson

from strongroom.core.audit.config import DeviceConfig
from strongroom.core.audit.redact import Redactor
from strongroom.core.audit.sinks import Sink, open_sink


class Device:
    def __init__(self, config: DeviceConfig, salt: bytes, stdout: TextIO | None = None) -> None:
        self.config = config
        self.redactor = Redactor(salt, hmac_accessor=config.hmac_accessor, log_raw=config.log_raw)
        self.sink: Sink = open_sink(config.file_path, config.mode, stdout)
        self._stats_lock = threading.Lock()
        self.writes = 0
        self.failures = 0

    def write(self, entry: Mapping[str, Any], kind: str, time: str) -> None:
        """Redact, serialise and append one entry; raises on any failure, counting it."""
        try:
            redacted = self.redactor.redact(entry)
            redacted.pop("time", None)
            redacted.pop("type", None)
            body = orjson.dumps({"time": time, "type": kind, **redacted}, default=self.redactor.default)
            self.sink.write(body)
        except Exception:
            self._count(failed=True)
            raise
        self._count(failed=False)

    def listing(self) -> dict[str, Any]:
        c = self.config
        return {
            "type": c.device_type,
            "description": c.description,
            "options": dict(c.options),
            "path": c.path,
            "local": False,
        }

    def close(self) -> None:
        self.sink.close()

    def _count(self, failed: bool) -> None:
        with self._stats_lock:
            if failed:
                self.failures += 1
            else:
                self.writes += 1
