"""map/teams/<team> and map/users/<login>: policies granted to members of a team, or to one user.

Names are case-insensitive, as GitHub's are. A team may be mapped by its name or by its slug."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.github.model import GitHubStore
from strongroom.auth.tokenfields import parse_policies
from strongroom.sdk.errors import NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class NoArgs:
    pass


@dataclass(frozen=True)
class MapArgs:
    key: str = arg("Team name or slug, or user login.")
    value: list[str] | None = arg("Comma-separated policies.", None)


def path_map_list(store: GitHubStore, kind: str) -> Path[NoArgs]:
    def list_keys(request: Request, args: NoArgs) -> Response:
        names = store.names(kind)
        if not names:
            raise NotFound()
        return Response(data={"keys": names})

    return Path(rf"map/{kind}/?", NoArgs, operations={Operation.LIST: list_keys}, synopsis=f"List mapped {kind}.")


def path_map(store: GitHubStore, kind: str) -> Path[MapArgs]:
    def read(request: Request, args: MapArgs) -> Response:
        policies = store.policies(kind, args.key)
        if policies is None:
            raise NotFound()
        return Response(data={"key": args.key.lower(), "value": ",".join(policies)})

    def write(request: Request, args: MapArgs) -> Response:
        store.put_policies(kind, args.key, parse_policies(args.value or []))
        return Response()

    def delete(request: Request, args: MapArgs) -> Response:
        store.delete_policies(kind, args.key)
        return Response()

    return Path(
        rf"map/{kind}/(?P<key>[^/]+)",
        MapArgs,
        operations={Operation.READ: read, Operation.UPDATE: write, Operation.DELETE: delete},
        synopsis=f"Map GitHub {kind} to policies.",
    )
