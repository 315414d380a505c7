"""keys/ (list), keys/<name> (create, read, update, delete) and keys/<name>/rotate: access keys bound to policies.

Creating a key returns its access key id and secret access key; that is the only time the secret is shown.
Updates change the token settings (policies, TTLs, CIDRs) and keep the credentials; rotate issues a new pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.auth.sigv4.model import NAME_PATTERN, AccessKey, KeyStore, new_access_key_id, new_secret
from strongroom.auth.tokenfields import TokenFieldArgs, TokenParams, apply_token_fields
from strongroom.sdk.clock import Clock, rfc3339
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True, kw_only=True)
class KeyArgs(TokenFieldArgs):
    name: str = arg("Name of the access key (an operator's label; the access key id is generated).")


@dataclass(frozen=True)
class NameArgs:
    name: str = arg("Name of the access key.")


def _describe(key: AccessKey) -> dict[str, Any]:
    return {"access_key_id": key.access_key_id, "creation_time": rfc3339(key.created), **key.token.to_data()}


def paths_keys(store: KeyStore, clock: Clock) -> list[Path[Any]]:
    def list_keys(request: Request, args: NoArgs) -> Response:
        names = store.names()
        if not names:
            raise NotFound()
        return Response(data={"keys": names})

    def exists(request: Request, args: KeyArgs) -> bool:
        return store.get(args.name) is not None

    def read(request: Request, args: KeyArgs) -> Response:
        key = store.get(args.name)
        if key is None:
            raise NotFound()
        return Response(data=_describe(key))

    def write(request: Request, args: KeyArgs) -> Response:
        with store.lock:
            current = store.get(args.name)
            token, warnings = apply_token_fields(current.token if current else TokenParams(), args)
            if current is not None:
                store.put(args.name, current.with_token(token), current)
                return Response(warnings=warnings)
            key = AccessKey(new_access_key_id(), new_secret(), token, created=clock.now())
            store.put(args.name, key)
        return Response(data={**_describe(key), "secret_access_key": key.secret_access_key}, warnings=warnings)

    def delete(request: Request, args: KeyArgs) -> Response:
        with store.lock:
            store.delete(args.name)
        return Response()

    def rotate(request: Request, args: NameArgs) -> Response:
        with store.lock:
            current = store.get(args.name)
            if current is None:
                raise InvalidRequest("no access key with that name")
            key = AccessKey(new_access_key_id(), new_secret(), current.token, current.revision + 1, clock.now())
            store.put(args.name, key, current)
        return Response(data={**_describe(key), "secret_access_key": key.secret_access_key})

    return [
        Path(r"keys/?", NoArgs, operations={Operation.LIST: list_keys}, synopsis="List access keys by name."),
        Path(rf"keys/(?P<name>{NAME_PATTERN})", KeyArgs,
             operations={Operation.READ: read, Operation.CREATE: write, Operation.UPDATE: write,
                         Operation.DELETE: delete},
             existence_check=exists, synopsis="Issue, inspect, re-bind or revoke an access key.",
             description="A create returns the secret access key once; it is never shown again. Deleting the key "
                         "makes every request signed with it fail; tokens already minted expire on their TTL."),
        Path(rf"keys/(?P<name>{NAME_PATTERN})/rotate", NameArgs, operations={Operation.UPDATE: rotate},
             synopsis="Replace the key's access key id and secret; the old pair stops working at once."),
    ]
