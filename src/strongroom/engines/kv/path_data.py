"""`data/<path>`: write a new version (with check-and-set), read one, merge-patch the latest, soft-delete it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from strongroom.engines.kv.mergepatch import merge_patch
from strongroom.engines.kv.model import Config, KeyMetadata, VersionMeta, deletion_time, version_key
from strongroom.engines.kv.store import KvStore, parse_int
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Delete, Put


@dataclass(frozen=True)
class DataArgs:
    path: str = arg("Location of the secret.")
    version: int = arg("On read, the version to return; the latest when 0 or absent.", default=0)
    options: dict[str, Any] | None = arg(
        'Write options. "cas": 0 writes only if the key does not exist; N writes only if the current '
        "version is N.",
        default=None,
    )
    data: dict[str, Any] | None = arg(
        "The secret: a JSON object stored as a new version.", default=None, sensitive=True
    )


def check_cas(options: dict[str, Any] | None, config: Config, meta: KeyMetadata) -> None:
    if options is not None and "cas" in options:
        try:
            cas = parse_int(options["cas"], "cas")
        except InvalidRequest:
            raise InvalidRequest("error parsing check-and-set parameter") from None
        if cas != meta.current_version:
            raise InvalidRequest("check-and-set parameter did not match the current version")
    elif config.cas_required or meta.cas_required:
        raise InvalidRequest("check-and-set parameter required for this call")


def _requested_version(args: DataArgs) -> int:
    if args.version < 0:
        raise InvalidRequest("invalid version number: version must be a positive integer")
    return args.version


def _append(store: KvStore, path: str, meta: KeyMetadata, config: Config, data: dict[str, Any]) -> Response:
    """Store `data` as the next version, trimming versions beyond max_versions in the same batch."""
    now = store.now()
    meta, dropped = meta.add_version(now, deletion_time(now, config, meta), config)
    writes: list[Put | Delete] = [Put(version_key(path, meta.current_version), orjson.dumps(data))]
    writes += [Delete(version_key(path, n)) for n in dropped]
    store.commit(path, meta, writes)
    return Response(data=meta.envelope(meta.current_version))


class DataHandlers:
    def __init__(self, store: KvStore) -> None:
        self.store = store

    def exists(self, request: Request, args: DataArgs) -> bool:
        return self.store.metadata(args.path) is not None

    def read(self, request: Request, args: DataArgs) -> Response:
        store = self.store
        meta = store.require_metadata(args.path)
        number = _requested_version(args) or meta.current_version
        version = meta.versions.get(number)
        if version is None:
            raise NotFound()
        body: dict[str, Any] = {"data": None, "metadata": meta.envelope(number)}
        if not version.is_live(store.now()):
            # Deleted or destroyed: Vault answers 404 but still shows the version's metadata.
            return Response(data=body, status=404)
        body["data"] = store.version_data(args.path, number)
        return Response(data=body)

    def write(self, request: Request, args: DataArgs) -> Response:
        if not args.path:
            raise InvalidRequest("missing path")
        if args.data is None:
            raise InvalidRequest("no data provided")
        config = self.store.config()
        meta = self.store.append(args.path, config, orjson.dumps(args.data),
                                 lambda current: check_cas(args.options, config, current))
        return Response(data=meta.envelope(meta.current_version))

    def patch(self, request: Request, args: DataArgs) -> Response:
        if args.data is None:
            raise InvalidRequest("no data provided")
        store = self.store
        config = store.config()
        with store.locked(args.path):
            meta = store.require_metadata(args.path)
            check_cas(args.options, config, meta)
            current = meta.versions.get(meta.current_version)
            if current is None:
                raise NotFound()
            if not current.is_live(store.now()):
                # OpenBao's patch 404 carries the flat version metadata (not the read's data/metadata pair).
                return Response(data=meta.envelope(meta.current_version), status=404)
            patched = merge_patch(store.version_data(args.path, meta.current_version), args.data)
            return _append(store, args.path, meta, config, patched)

    def delete(self, request: Request, args: DataArgs) -> Response:
        store = self.store
        with store.locked(args.path):
            meta = store.metadata(args.path)
            latest = None if meta is None else meta.versions.get(meta.current_version)
            if meta is None or latest is None or not latest.is_live(store.now()):
                return Response()
            deleted = VersionMeta(latest.created_time, store.now(), latest.destroyed)
            store.commit(args.path, meta.with_version(meta.current_version, deleted))
        return Response()


def path_data(store: KvStore) -> Path[DataArgs]:
    handlers = DataHandlers(store)
    return Path(
        r"data/(?P<path>.*)",
        DataArgs,
        operations={
            Operation.READ: handlers.read,
            Operation.CREATE: handlers.write,
            Operation.UPDATE: handlers.write,
            Operation.PATCH: store.retrying(handlers.patch),
            Operation.DELETE: store.retrying(handlers.delete),
        },
        existence_check=handlers.exists,
        synopsis="Write, Patch, Read, and Delete data in the Key-Value Store.",
        description="Each write stores a new version; a read returns the latest unless `version` is set; a "
        "patch merges (RFC 7396) into the latest version; a delete soft-deletes the latest version.",
    )
