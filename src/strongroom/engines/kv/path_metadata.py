"""`metadata/<path>`: per-key settings and version history; read, write, merge-patch, delete, list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strongroom.engines.kv.custom_metadata import parse_custom_metadata
from strongroom.engines.kv.mergepatch import merge_patch
from strongroom.engines.kv.model import KeyMetadata, metadata_key, version_key
from strongroom.engines.kv.store import KvStore, go_duration
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Delete

CAS_IGNORED = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.'


@dataclass(frozen=True)
class MetadataArgs:
    path: str = arg("Location of the secret; on list, the folder to list.", default="")
    max_versions: int | None = arg("Versions to keep for this key; 0 defers to the mount.", default=None)
    cas_required: bool | None = arg("If true, every data write to this key must carry the cas option.", default=None)
    delete_version_after: Duration | None = arg(
        "How long each new version of this key lives before it is soft-deleted; 0 clears it.", default=None
    )
    custom_metadata: dict[str, Any] | None = arg(
        "Version-agnostic key/value strings describing the secret (at most 64 keys).", default=None
    )
    metadata_cas: int | None = arg("Write only if the key's current_metadata_version equals this.", default=None)
    metadata_cas_required: bool | None = arg("If true, metadata writes must carry metadata_cas.", default=None)
    after: str = arg("On list: start after this entry.", default="")
    limit: int = arg("On list: return at most this many entries; 0 means all.", default=0)


def metadata_view(meta: KeyMetadata) -> dict[str, Any]:
    return {
        "cas_required": meta.cas_required,
        "created_time": rfc3339(meta.created_time),
        "current_metadata_version": meta.current_metadata_version,
        "current_version": meta.current_version,
        "custom_metadata": None if meta.custom_metadata is None else dict(meta.custom_metadata),
        "delete_version_after": go_duration(meta.delete_version_after),
        "max_versions": meta.max_versions,
        "metadata_cas_required": meta.metadata_cas_required,
        "oldest_version": meta.oldest_version,
        "updated_time": rfc3339(meta.updated_time),
        "versions": {str(n): v.summary() for n, v in sorted(meta.versions.items())},
    }


def _check_metadata_cas(args: MetadataArgs, meta: KeyMetadata) -> None:
    if args.metadata_cas is not None:
        if args.metadata_cas != meta.current_metadata_version:
            raise InvalidRequest("metadata check-and-set parameter did not match the current version")
    elif meta.metadata_cas_required:
        raise InvalidRequest("metadata check-and-set parameter required for this call")


def _settings(meta: KeyMetadata, args: MetadataArgs) -> KeyMetadata:
    """Apply the plain settings shared by write and patch (custom_metadata is handled by each)."""
    if args.max_versions is not None:
        if args.max_versions < 0:
            raise InvalidRequest("max_versions cannot be negative")
        meta = replace(meta, max_versions=args.max_versions)
    if args.cas_required is not None:
        meta = replace(meta, cas_required=args.cas_required)
    if args.delete_version_after is not None:
        if args.delete_version_after < 0:
            raise InvalidRequest("delete_version_after cannot be negative")
        meta = replace(meta, delete_version_after=args.delete_version_after)
    if args.metadata_cas_required is not None:
        meta = replace(meta, metadata_cas_required=args.metadata_cas_required)
    return replace(meta, current_metadata_version=meta.current_metadata_version + 1)


def _has_settings(args: MetadataArgs) -> bool:
    fields = (args.max_versions, args.cas_required, args.delete_version_after, args.custom_metadata,
              args.metadata_cas_required)
    return any(value is not None for value in fields)


def _cas_warning(store: KvStore, args: MetadataArgs) -> Response:
    if args.cas_required is False and store.config().cas_required:
        return Response(warnings=[CAS_IGNORED])
    return Response()


class MetadataHandlers:
    def __init__(self, store: KvStore) -> None:
        self.store = store

    def exists(self, request: Request, args: MetadataArgs) -> bool:
        return self.store.metadata(args.path) is not None

    def read(self, request: Request, args: MetadataArgs) -> Response:
        return Response(data=metadata_view(self.store.require_metadata(args.path)))

    def list(self, request: Request, args: MetadataArgs) -> Response:
        prefix = args.path if not args.path or args.path.endswith("/") else args.path + "/"
        keys = [key for key in self.store.storage.list(metadata_key(prefix)) if key > args.after]
        if args.limit > 0:
            keys = keys[: args.limit]
        if not keys:
            raise NotFound()
        return Response(data={"keys": keys})

    def write(self, request: Request, args: MetadataArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        if not _has_settings(args):
            return Response()
        custom = None if args.custom_metadata is None else parse_custom_metadata(args.custom_metadata)
        with self.store.locked(args.path):
            meta = self.store.metadata(args.path) or KeyMetadata.new(self.store.now())
            _check_metadata_cas(args, meta)
            meta = _settings(meta, args)
            if custom is not None:
                meta = replace(meta, custom_metadata=custom)
            self.store.commit(args.path, meta)
        return _cas_warning(self.store, args)

    def patch(self, request: Request, args: MetadataArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        patch = None if args.custom_metadata is None else parse_custom_metadata(args.custom_metadata, patch=True)
        with self.store.locked(args.path):
            meta = self.store.require_metadata(args.path)
            _check_metadata_cas(args, meta)
            meta = _settings(meta, args)
            if patch is not None:
                meta = replace(meta, custom_metadata=merge_patch(meta.custom_metadata or {}, patch))
            elif "custom_metadata" in request.data:
                meta = replace(meta, custom_metadata=None)  # an explicit null clears it
            self.store.commit(args.path, meta)
        return _cas_warning(self.store, args)

    def delete(self, request: Request, args: MetadataArgs) -> Response:
        with self.store.locked(args.path):
            meta = self.store.metadata(args.path)
            if meta is not None:
                self.store.remove(args.path, [Delete(version_key(args.path, n)) for n in meta.versions])
        return Response()


def path_metadata(store: KvStore) -> Path[MetadataArgs]:
    handlers = MetadataHandlers(store)
    return Path(
        r"metadata(?:/(?P<path>.*))?",  # "metadata" alone lists the root, as LIST secret/metadata does
        MetadataArgs,
        operations={
            Operation.READ: handlers.read,
            Operation.LIST: handlers.list,
            Operation.CREATE: store.retrying(handlers.write),
            Operation.UPDATE: store.retrying(handlers.write),
            Operation.PATCH: store.retrying(handlers.patch),
            Operation.DELETE: store.retrying(handlers.delete),
        },
        existence_check=handlers.exists,
        synopsis="Allows interaction with key metadata and settings in the KV store.",
        description="Read a key's version history and settings, write or merge-patch its settings, delete the "
        "key with every version, or list keys below a folder.",
    )
