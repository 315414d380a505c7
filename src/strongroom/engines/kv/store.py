"""The KV v2 store shared by every path group: storage access, per-key locks and input helpers."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from strongroom.engines.kv.model import Config, KeyMetadata, metadata_key, version_key
from strongroom.sdk.clock import Clock
from strongroom.sdk.duration import format_duration, parse_duration
from strongroom.sdk.errors import Fault, InvalidRequest, NotFound
from strongroom.sdk.storage import Put, Storage, Write

CONFIG_KEY = "config"
_STRIPES = 64


class KvStore:
    """Reads and atomically writes KV v2 records. Writers to one key serialise on a striped lock; records are
    never cached, so several worker processes sharing the storage always see the latest state."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self._locks = [threading.Lock() for _ in range(_STRIPES)]

    def now(self) -> float:
        return self.clock.now()

    @contextmanager
    def locked(self, path: str) -> Iterator[None]:
        with self._locks[zlib.crc32(path.encode()) % _STRIPES]:
            yield

    def config(self) -> Config:
        return Config.load(self.storage.get(CONFIG_KEY))

    def save_config(self, config: Config) -> None:
        self.storage.put(CONFIG_KEY, config.dump())

    def metadata(self, path: str) -> KeyMetadata | None:
        raw = self.storage.get(metadata_key(path))
        return None if raw is None else KeyMetadata.load(raw)

    def require_metadata(self, path: str) -> KeyMetadata:
        meta = self.metadata(path)
        if meta is None:
            raise NotFound()
        return meta

    def version_data(self, path: str, version: int) -> dict[str, Any]:
        raw = self.storage.get(version_key(path, version))
        if raw is None:
            raise Fault("could not find version data")
        data: dict[str, Any] = orjson.loads(raw)
        return data

    def commit(self, path: str, meta: KeyMetadata, writes: Iterable[Write] = ()) -> None:
        """Write the metadata together with any version writes, all or nothing."""
        self.storage.batch([*writes, Put(metadata_key(path), meta.dump())])


def parse_int(value: Any, field: str) -> int:
    """An integer the way Go's weak decoding reads one; the value is never echoed in the error."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise InvalidRequest(f'Field validation failed: error converting input for field "{field}"')


def parse_versions(value: Any) -> list[int]:
    """`versions` as a list of ints or a comma-separated string (Vault's TypeCommaIntSlice)."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    versions = [parse_int(item, "versions") for item in items if not (isinstance(item, str) and not item.strip())]
    if any(v < 0 for v in versions):
        raise InvalidRequest("invalid version number: versions must be positive integers")
    return versions


def parse_signed_duration(value: Any, field: str) -> int:
    """Seconds, allowing a leading minus sign on Go duration strings ("-1s")."""
    if isinstance(value, str) and value.strip().startswith("-"):
        return -parse_duration(value.strip()[1:], field)
    return parse_duration(value, field)


def go_duration(seconds: int) -> str:
    return "-" + format_duration(-seconds) if seconds < 0 else format_duration(seconds)
