"""The KV v2 store shared by every path group: storage access, per-key locks and input helpers."""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from strongroom.engines.kv.model import Config, KeyMetadata, deletion_time, metadata_key, version_key
from strongroom.sdk.clock import Clock
from strongroom.sdk.duration import format_duration, parse_duration
from strongroom.sdk.errors import Fault, InvalidRequest, NotFound
from strongroom.sdk.request import Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Delete, Put, Storage, Write

CONFIG_KEY = "config"
_STRIPES = 64


_RETRIES = 20
_UNSEEN = object()


class Conflict(Exception):
    """A key's metadata changed between our read and our commit: another worker process wrote it."""


class KvStore:
    """Reads and atomically writes KV v2 records. Writers to one key in this process serialise on a striped
    lock; against other worker processes each commit is a compare-and-set on the key's metadata (the bytes
    read under the lock must still be the stored ones), and a handler that loses re-runs (`retrying`), so
    two acknowledged writes never get the same version number and check-and-set holds across processes."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage = storage
        self.clock = clock
        self._locks = [threading.Lock() for _ in range(_STRIPES)]
        self._reads = threading.local()  # metadata bytes read under `locked`, by path, for the commit's check

    def now(self) -> float:
        return self.clock.now()

    @contextmanager
    def locked(self, path: str) -> Iterator[None]:
        with self._locks[zlib.crc32(path.encode()) % _STRIPES]:
            self._reads.seen = {}
            try:
                yield
            finally:
                self._reads.seen = None

    def retrying(self, handler: Callable[[Request, Any], Response]) -> Callable[[Request, Any], Response]:
        """`handler`, re-run from its reads when a sibling process committed to the same key first."""
        def run(request: Request, args: Any) -> Response:
            for _ in range(_RETRIES):
                try:
                    return handler(request, args)
                except Conflict:
                    continue
            raise Fault("the key kept changing while it was being written")

        return run

    def config(self) -> Config:
        return Config.load(self.storage.get(CONFIG_KEY))

    def save_config(self, config: Config) -> None:
        self.storage.put(CONFIG_KEY, config.dump())

    def metadata(self, path: str) -> KeyMetadata | None:
        raw = self.storage.get(metadata_key(path))
        seen = getattr(self._reads, "seen", None)
        if seen is not None:
            seen[path] = raw
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

    def append(self, path: str, config: Config, data: bytes, check: Callable[[KeyMetadata], None]) -> KeyMetadata:
        """Store `data` as the key's next version in one atomic step against the stored metadata, trimming
        versions beyond max_versions; `check` (check-and-set) sees that metadata and may refuse. No lock and no
        retry: concurrent writers of one key, in this process or a sibling, commit one after another inside
        the storage's group commit, each seeing the one before. Returns the new metadata."""
        now = self.now()
        written: list[KeyMetadata] = []
        writes: list[Write] = []

        def step(current: bytes | None) -> bytes:
            meta = KeyMetadata.new(now) if current is None else KeyMetadata.load(current)
            check(meta)
            meta, dropped = meta.add_version(now, deletion_time(now, config, meta), config)
            written[:] = [meta]
            writes[:] = [Put(version_key(path, meta.current_version), data),
                         *(Delete(version_key(path, n)) for n in dropped)]
            return meta.dump()

        self.storage.update(metadata_key(path), step, lambda: writes)
        return written[0]

    def commit(self, path: str, meta: KeyMetadata, writes: Iterable[Write] = ()) -> None:
        """Write the metadata together with any version writes, all or nothing; Conflict if it changed."""
        self._swap(path, meta.dump(), writes)

    def remove(self, path: str, writes: Iterable[Write] = ()) -> None:
        """Delete the metadata together with `writes` (its versions); Conflict if it changed."""
        self._swap(path, None, writes)

    def _swap(self, path: str, new: bytes | None, writes: Iterable[Write]) -> None:
        seen = getattr(self._reads, "seen", None)
        expected = _UNSEEN if seen is None else seen.get(path, _UNSEEN)

        def step(current: bytes | None) -> bytes | None:
            if expected is not _UNSEEN and current != expected:
                raise Conflict()
            return new

        self.storage.update(metadata_key(path), step, writes)


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
