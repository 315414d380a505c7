"""sys/leases: lookup, renew, revoke, revoke-prefix, revoke-force, tidy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class LeaseArgs:
    lease_id: str = arg("The lease id.", "")
    url_lease_id: str = arg("The lease id (from the path).", "")
    increment: Duration = arg("Requested extension, from now.", Duration(0))
    sync: bool = arg("Wait for the revocation.", True)


@dataclass(frozen=True)
class PrefixArgs:
    prefix: str = arg("Lease id prefix.", "")


def paths(core: Core) -> list[Path[Any]]:
    def lease_id(args: LeaseArgs) -> str:
        value = args.lease_id or args.url_lease_id
        if not value:
            raise InvalidRequest("missing lease_id")
        return value

    def lookup(request: Request, args: LeaseArgs) -> Response:
        lease = core.expiration.get(lease_id(args))
        if lease is None:
            raise InvalidRequest("invalid lease")
        now = core.clock.now()
        return Response(data={
            "id": lease.id, "issue_time": rfc3339(lease.issue_time), "expire_time": rfc3339(lease.expire_time),
            "last_renewal": rfc3339(lease.last_renewal) if lease.last_renewal else None,
            "renewable": lease.renewable, "ttl": max(0, int(lease.expire_time - now)), "path": lease.path,
        })

    def list_prefix(request: Request, args: PrefixArgs) -> Response:
        keys = core.expiration.list_ids(args.prefix)
        return Response(data={"keys": keys} if keys else None)

    def renew(request: Request, args: LeaseArgs) -> Response:
        current = core.expiration.get(lease_id(args))
        if current is None:
            raise InvalidRequest("lease not found")
        renewed = core.expiration.renew(current.id, args.increment or int(current.expire_time - current.issue_time))
        ttl = max(0, int(renewed.expire_time - core.clock.now()))
        return Response(lease_id=renewed.id, renewable=True, lease_duration=ttl)

    def revoke(request: Request, args: LeaseArgs) -> Response:
        core.expiration.revoke(lease_id(args))
        return Response() if args.sync else Response(status=202)

    def revoke_prefix(request: Request, args: PrefixArgs) -> Response:
        core.expiration.revoke_prefix(args.prefix)
        return Response()

    def revoke_force(request: Request, args: PrefixArgs) -> Response:
        core.expiration.revoke_prefix(args.prefix, force=True)
        return Response()

    def tidy(request: Request, args: PrefixArgs) -> Response:
        return Response(status=202, warnings=["Tidy operation successfully started."])

    return [
        Path("leases/lookup/?", LeaseArgs, {Operation.UPDATE: lookup}, synopsis="Look up a lease."),
        Path("leases/lookup/(?P<prefix>.+)", PrefixArgs, {Operation.LIST: list_prefix},
             synopsis="List lease ids under a prefix (sudo)."),
        Path("leases/renew(?:/(?P<url_lease_id>.+))?", LeaseArgs, {Operation.UPDATE: renew},
             synopsis="Renew a lease."),
        Path("leases/revoke(?:/(?P<url_lease_id>.+))?", LeaseArgs, {Operation.UPDATE: revoke},
             synopsis="Revoke a lease."),
        Path("leases/revoke-prefix/(?P<prefix>.+)", PrefixArgs, {Operation.UPDATE: revoke_prefix},
             synopsis="Revoke every lease under a prefix (sudo)."),
        Path("leases/revoke-force/(?P<prefix>.+)", PrefixArgs, {Operation.UPDATE: revoke_force},
             synopsis="Remove leases under a prefix even if the backend cannot revoke them (sudo)."),
        Path("leases/tidy", PrefixArgs, {Operation.UPDATE: tidy}, synopsis="Clean up lease storage."),
    ]
