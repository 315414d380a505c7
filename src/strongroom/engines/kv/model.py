"""KV v2 stored records: the mount config and one metadata record per key, as frozen dataclasses.

Layout inside the mount's storage view:

    config                       Config
    metadata/<path>              KeyMetadata (every version's metadata; lists come from these keys)
    versions/<sha256(path)>/<n>  the JSON data of version n

Version keys use a hash of the path so that any secret path (including one that is also a folder, such as
`a` next to `a/b`) maps to a distinct, canonical storage key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from strongroom.sdk.clock import rfc3339

DEFAULT_MAX_VERSIONS = 10
# A negative mount-level delete_version_after disables the feature on every key (stored as -1s, as Vault does).
DELETE_AFTER_DISABLED = -1


@dataclass(frozen=True, slots=True)
class Config:
    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0

    def dump(self) -> bytes:
        return orjson.dumps(
            {
                "max_versions": self.max_versions,
                "cas_required": self.cas_required,
                "delete_version_after": self.delete_version_after,
            }
        )

    @classmethod
    def load(cls, raw: bytes | None) -> Config:
        if raw is None:
            return cls()
        doc = orjson.loads(raw)
        return cls(doc["max_versions"], doc["cas_required"], doc["delete_version_after"])


@dataclass(frozen=True, slots=True)
class VersionMeta:
    created_time: float
    deletion_time: float | None = None
    destroyed: bool = False

    def is_deleted(self, now: float) -> bool:
        """Deleted once its deletion time has passed (a future one comes from delete_version_after)."""
        return self.deletion_time is not None and self.deletion_time <= now

    def is_live(self, now: float) -> bool:
        return not self.destroyed and not self.is_deleted(now)

    def summary(self) -> dict[str, Any]:
        return {
            "created_time": rfc3339(self.created_time),
            "deletion_time": "" if self.deletion_time is None else rfc3339(self.deletion_time),
            "destroyed": self.destroyed,
        }


@dataclass(frozen=True, slots=True)
class KeyMetadata:
    created_time: float
    updated_time: float
    current_version: int = 0
    oldest_version: int = 0
    max_versions: int = 0
    cas_required: bool = False
    delete_version_after: int = 0
    custom_metadata: Mapping[str, str] | None = None
    versions: Mapping[int, VersionMeta] = field(default_factory=dict)
    # OpenBao extras: a counter of metadata writes, and per-key check-and-set on them.
    current_metadata_version: int = 0
    metadata_cas_required: bool = False

    @classmethod
    def new(cls, now: float) -> KeyMetadata:
        return cls(created_time=now, updated_time=now)

    def envelope(self, version: int) -> dict[str, Any]:
        """The per-version metadata block returned by data writes, reads and subkeys."""
        return {
            **self.versions[version].summary(),
            "custom_metadata": None if self.custom_metadata is None else dict(self.custom_metadata),
            "version": version,
        }

    def with_version(self, number: int, meta: VersionMeta) -> KeyMetadata:
        return replace(self, versions={**self.versions, number: meta})

    def add_version(self, created: float, deletion: float | None, config: Config) -> tuple[KeyMetadata, list[int]]:
        """Append the next version; returns the new record and the version numbers trimmed by max_versions."""
        number = self.current_version + 1
        versions = {**self.versions, number: VersionMeta(created, deletion)}
        # OpenBao 2.7.2 keeps the larger of the key's and the mount's max_versions (openbao#3997).
        keep = max(self.max_versions, config.max_versions) or DEFAULT_MAX_VERSIONS
        oldest = self.oldest_version
        dropped: list[int] = []
        if number - oldest >= keep:
            last_dropped = number - keep
            dropped = [n for n in range(oldest, last_dropped + 1) if n in versions]
            for n in dropped:
                del versions[n]
            oldest = last_dropped + 1
        updated = replace(
            self,
            current_version=number,
            oldest_version=oldest,
            updated_time=created,
            versions=versions,
        )
        return updated, dropped

    def dump(self) -> bytes:
        return orjson.dumps(
            {
                "created_time": self.created_time,
                "updated_time": self.updated_time,
                "current_version": self.current_version,
                "oldest_version": self.oldest_version,
                "max_versions": self.max_versions,
                "cas_required": self.cas_required,
                "delete_version_after": self.delete_version_after,
                "custom_metadata": self.custom_metadata,
                "current_metadata_version": self.current_metadata_version,
                "metadata_cas_required": self.metadata_cas_required,
                "versions": {
                    str(n): [v.created_time, v.deletion_time, v.destroyed] for n, v in self.versions.items()
                },
            }
        )

    @classmethod
    def load(cls, raw: bytes) -> KeyMetadata:
        doc = orjson.loads(raw)
        versions = {int(n): VersionMeta(c, d, x) for n, (c, d, x) in doc.pop("versions").items()}
        return cls(**doc, versions=versions)


def metadata_key(path: str) -> str:
    return f"metadata/{path}"


def version_key(path: str, version: int) -> str:
    return f"versions/{hashlib.sha256(path.encode()).hexdigest()}/{version}"


def deletion_time(created: float, config: Config, meta: KeyMetadata) -> float | None:
    """When a new (or undeleted) version expires: the smaller non-zero delete_version_after of mount and key."""
    if config.delete_version_after < 0:
        return None
    candidates = [d for d in (config.delete_version_after, meta.delete_version_after) if d > 0]
    return created + min(candidates) if candidates else None
