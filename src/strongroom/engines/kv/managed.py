"""The KV values a leak scanner may report as managed: every string in every live version (sys/scan/fingerprints)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from strongroom.engines.kv.model import KeyMetadata, version_key
from strongroom.engines.kv.store import KvStore
from strongroom.sdk.framework import ManagedValue
from strongroom.sdk.storage import Storage, list_recursive

METADATA = "metadata/"


def string_fields(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field, value) for every string leaf; nested keys are joined by dots, list items by their index."""
    if isinstance(data, str):
        yield prefix, data
    elif isinstance(data, dict):
        for key, item in data.items():
            yield from string_fields(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from string_fields(item, f"{prefix}.{index}" if prefix else str(index))


def versioned_values(store: KvStore) -> Iterator[ManagedValue]:
    """KV v2: every version neither soft-deleted (its deletion time has passed) nor destroyed."""
    now = store.now()
    for key in list_recursive(store.storage, METADATA):
        raw = store.storage.get(key)
        if raw is None:  # deleted since the listing
            continue
        path = key[len(METADATA):]
        for number, meta in sorted(KeyMetadata.load(raw).versions.items()):
            data = store.storage.get(version_key(path, number)) if meta.is_live(now) else None
            if data is not None:
                for name, value in string_fields(orjson.loads(data)):
                    yield ManagedValue(path, number, name, value)


def passthrough_values(storage: Storage) -> Iterator[ManagedValue]:
    """KV v1: each secret as stored, reported as version 0."""
    for path in list_recursive(storage):
        raw = storage.get(path)
        if raw is not None:
            for name, value in string_fields(orjson.loads(raw)):
                yield ManagedValue(path, 0, name, value)
