"""`subkeys/<path>`: the structure of a version's data with every leaf value replaced by null."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.kv.store import KvStore
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class SubkeysArgs:
    path: str = arg("Location of the secret.")
    depth: int = arg("How deep to descend; keys at that depth are shown as null leaves. 0 means no limit.", default=0)
    version: int = arg("The version to describe; the latest when 0 or absent.", default=0)


def strip_values(data: dict[str, Any], max_depth: int, depth: int = 1) -> dict[str, Any]:
    """Replace leaves (non-objects and empty objects) with None; objects at `max_depth` become leaves too."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        descend = isinstance(value, dict) and value and (max_depth == 0 or depth + 1 <= max_depth)
        out[key] = strip_values(value, max_depth, depth + 1) if descend else None
    return out


def path_subkeys(store: KvStore) -> Path[SubkeysArgs]:
    def read(request: Request, args: SubkeysArgs) -> Response:
        if args.depth < 0:
            raise InvalidRequest("depth must be a non-negative integer")
        if args.version < 0:
            raise InvalidRequest("invalid version number: version must be a positive integer")
        meta = store.require_metadata(args.path)
        number = args.version or meta.current_version
        version = meta.versions.get(number)
        if version is None:
            raise NotFound()
        body: dict[str, Any] = {"metadata": meta.envelope(number), "subkeys": None}
        if not version.is_live(store.now()):
            return Response(data=body, status=404)
        body["subkeys"] = strip_values(store.version_data(args.path, number), args.depth)
        return Response(data=body)

    return Path(
        r"subkeys/(?P<path>.*)",
        SubkeysArgs,
        operations={Operation.READ: read},
        synopsis="Read the structure of a secret entry from the Key-Value store with the values removed.",
    )
