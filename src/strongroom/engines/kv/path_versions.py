"""`delete/<path>`, `undelete/<path>`, `destroy/<path>`: act on chosen versions of a key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from strongroom.engines.kv.model import KeyMetadata, VersionMeta, deletion_time, version_key
from strongroom.engines.kv.store import KvStore, parse_versions
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Delete


@dataclass(frozen=True)
class VersionsArgs:
    path: str = arg("Location of the secret.")
    versions: Any = arg("The version numbers, as a list or a comma-separated string.", default=None)


# Given the store, the key's metadata and one of its versions, the version's new metadata (or None to skip).
Change = Callable[[KvStore, KeyMetadata, VersionMeta], VersionMeta | None]


def _soft_delete(store: KvStore, meta: KeyMetadata, version: VersionMeta) -> VersionMeta | None:
    if not version.is_live(store.now()):
        return None
    return replace(version, deletion_time=store.now())


def _undelete(store: KvStore, meta: KeyMetadata, version: VersionMeta) -> VersionMeta | None:
    if version.destroyed:
        return None
    now = store.now()
    # An undeleted version gets a fresh expiry from delete_version_after, counted from now.
    return replace(version, deletion_time=deletion_time(now, store.config(), meta))


def _destroy(store: KvStore, meta: KeyMetadata, version: VersionMeta) -> VersionMeta | None:
    return None if version.destroyed else replace(version, destroyed=True)


def _apply(store: KvStore, path: str, numbers: list[int], change: Change, purge: bool) -> None:
    with store.locked(path):
        meta = store.metadata(path)
        if meta is None:
            return
        for number in numbers:
            version = meta.versions.get(number)
            changed = None if version is None else change(store, meta, version)
            if changed is not None:
                meta = meta.with_version(number, changed)
        # Destroy removes the data of every named version in the same batch as the metadata.
        writes = [Delete(version_key(path, n)) for n in numbers] if purge else []
        store.commit(path, meta, writes)


def _path(store: KvStore, verb: str, change: Change, empty_error: str, synopsis: str) -> Path[VersionsArgs]:
    def write(request: Request, args: VersionsArgs) -> Response:
        numbers = parse_versions(args.versions)
        if not numbers:
            raise InvalidRequest(empty_error)
        _apply(store, args.path, numbers, change, purge=verb == "destroy")
        return Response()

    return Path(
        rf"{verb}/(?P<path>.*)",
        VersionsArgs,
        operations={Operation.UPDATE: store.retrying(write)},
        synopsis=synopsis,
    )


def paths_versions(store: KvStore) -> list[Path[VersionsArgs]]:
    return [
        _path(store, "delete", _soft_delete, "No version number provided",
              "Marks one or more versions as deleted in the KV store."),
        _path(store, "undelete", _undelete, "No version number provided",
              "Undeletes one or more versions from the KV store."),
        _path(store, "destroy", _destroy, "no version number provided",
              "Permanently removes one or more versions in the KV store."),
    ]
