"""sys/leases: lookup, list, renew, revoke, revoke-prefix, revoke-force, tidy, and the irrevocable report.

Contract (Vault's, section 1.7 of the reference):
- lookup of an unknown or revoked lease: 400 "invalid lease"; LIST sys/leases/lookup/<prefix> lists one level.
- renew is capped by the lease's max TTL (remaining lifetime) with Vault's warning; an engine's SecretType.renew,
  when it has one, decides the granted TTL first. Unknown lease: 400 "lease not found".
- revoke of an unknown lease is 204. `sync: false` answers 202 and leaves the work to the expiration manager's
  tick (retries with backoff included). A synchronous revocation that fails keeps the lease, armed for retry,
  and answers 500.
- Leases that could not be revoked after every retry are kept and listed by `GET sys/leases?type=irrevocable`
  and counted by `GET sys/leases/count?type=irrevocable` (both sudo), as Vault does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from strongroom.core.issuing import ttl_capped_warning
from strongroom.core.leases.lease import SECRET, Lease
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import Fault, InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import list_recursive

if TYPE_CHECKING:
    from strongroom.core.core import Core

log = logging.getLogger("strongroom.leases")
GIVE_UP_AFTER = 10


@dataclass(frozen=True)
class LeaseArgs:
    lease_id: str = arg("The lease id.", "")
    url_lease_id: str = arg("The lease id (from the path).", "")
    increment: Duration = arg("Requested extension, from now.", Duration(0))
    sync: bool = arg("Wait for the revocation (false: answer 202 and revoke in the background).", True)


@dataclass(frozen=True)
class PrefixArgs:
    prefix: str = arg("Lease id prefix.", "")
    sync: bool = arg("Wait for the revocations.", True)


@dataclass(frozen=True)
class ReportArgs:
    type: str = arg('Which leases to report; only "irrevocable" is supported.', "")
    limit: str = arg("Maximum number of leases to return (a number or \"none\").", "")
    include_child_namespaces: bool = arg("Accepted for compatibility.", False)


def _lease_id(args: LeaseArgs) -> str:
    value = args.lease_id or args.url_lease_id
    if not value:
        raise InvalidRequest("missing lease_id")
    return value


def _lookup_data(lease: Lease, now: float) -> dict[str, Any]:
    return {
        "id": lease.id, "issue_time": rfc3339(lease.issue_time),
        "expire_time": rfc3339(lease.expire_time) if lease.expire_time else None,
        "last_renewal": rfc3339(lease.last_renewal) if lease.last_renewal else None,
        "renewable": lease.renewable, "ttl": max(0, int(lease.expire_time - now)) if lease.expire_time else 0,
        "path": lease.path,
    }


def _irrevocable_data(lease: Lease) -> dict[str, Any]:
    return {"lease_id": lease.id, "path": lease.path, "mount_id": lease.mount, "namespace": "",
            "expire_time": rfc3339(lease.expire_time), "error": lease.irrevocable}


class LeaseOps:
    def __init__(self, core: Core) -> None:
        self.core = core

    def lookup(self, request: Request, args: LeaseArgs) -> Response:
        lease = self.core.expiration.get(_lease_id(args))
        if lease is None:
            raise InvalidRequest("invalid lease")
        return Response(data=_lookup_data(lease, self.core.clock.now()))

    def list_prefix(self, request: Request, args: PrefixArgs) -> Response:
        prefix = args.prefix if not args.prefix or args.prefix.endswith("/") else args.prefix + "/"
        keys = self.core.expiration.list_ids(prefix)
        if not keys:
            raise NotFound()  # Vault answers an empty list with 404
        return Response(data={"keys": keys})

    def renew(self, request: Request, args: LeaseArgs) -> Response:
        current = self.core.expiration.get(_lease_id(args))
        if current is None:
            raise InvalidRequest("lease not found")
        if not current.renewable or current.irrevocable:
            raise InvalidRequest("lease is not renewable")
        now = self.core.clock.now()
        requested = args.increment or int(current.expire_time - (current.last_renewal or current.issue_time))
        requested = self._engine_renew(current, requested)
        warnings: list[str] = []
        remaining = int(current.max_expire - now) if current.max_expire else 0
        if current.max_expire and requested > remaining:
            warnings.append(ttl_capped_warning(requested, max(0, remaining)))
        renewed = self.core.expiration.renew(current.id, requested)
        ttl = max(0, int(renewed.expire_time - now))
        return Response(lease_id=renewed.id, renewable=True, lease_duration=ttl, warnings=warnings)

    def _engine_renew(self, lease: Lease, requested: int) -> int:
        """The TTL the owning engine grants (its SecretType.renew), or `requested` when it has no say."""
        if lease.kind != SECRET:
            return requested
        mounted = self.core.router.get(lease.mount)
        secret_type = None if mounted is None else mounted.backend.secret_types.get(lease.secret_type)
        if secret_type is None or secret_type.renew is None:
            return requested
        granted = secret_type.renew(lease.internal, requested)
        return int(granted) if granted else requested

    def revoke(self, request: Request, args: LeaseArgs) -> Response:
        lease = self.core.expiration.get(_lease_id(args))
        if lease is None:
            return Response() if args.sync else Response(status=202)
        if not args.sync:
            self._schedule(lease)
            return Response(status=202)
        self._revoke_now(lease)
        return Response()

    def revoke_prefix(self, request: Request, args: PrefixArgs) -> Response:
        leases = self._under(args.prefix)
        if not args.sync:
            for lease in leases:
                self._schedule(lease)
            return Response(status=202)
        failed = 0
        for lease in leases:
            try:
                self._revoke_now(lease)
            except Fault:
                failed += 1
        if failed:
            raise Fault(f"internal error: failed to revoke {failed} lease(s); they will be retried")
        return Response()

    def revoke_force(self, request: Request, args: PrefixArgs) -> Response:
        self.core.expiration.revoke_prefix(args.prefix, force=True)
        return Response()

    def tidy(self, request: Request, args: PrefixArgs) -> Response:
        self.tidy_now()
        return Response(status=202, warnings=["Tidy operation successfully started. Any information from the "
                                              "operation will be printed to OpenBao's server logs."])

    def tidy_now(self) -> int:
        """Drop token-index entries of vanished leases; revoke secret leases whose owning token is gone."""
        expiration = self.core.expiration
        cleaned = 0
        for key in list_recursive(expiration.storage, "token/"):
            raw = expiration.storage.get(key)
            if raw is None:
                continue
            lease = expiration.get(raw.decode())
            if lease is None:
                expiration.storage.delete(key)
                cleaned += 1
            elif lease.kind == SECRET and self.core.tokens.get_by_id(lease.token_id) is None:
                self._schedule(lease)
                cleaned += 1
        return cleaned

    def report(self, request: Request, args: ReportArgs) -> Response:
        if args.type != "irrevocable":
            raise InvalidRequest('the only supported lease type is "irrevocable"')
        leases = sorted(self.core.expiration.irrevocable(), key=lambda lease: lease.id)
        limit = 10_000 if args.limit in ("", "none") else _positive(args.limit)
        warnings = [f"showing {limit} of {len(leases)} leases"] if len(leases) > limit else []
        return Response(data={"lease_count": len(leases), "leases": [_irrevocable_data(x) for x in leases[:limit]]},
                        warnings=warnings)

    def count(self, request: Request, args: ReportArgs) -> Response:
        if args.type != "irrevocable":
            raise InvalidRequest('the only supported lease type is "irrevocable"')
        return Response(data={"lease_count": len(self.core.expiration.irrevocable())})

    # --- helpers ---------------------------------------------------------------------------------------
    def _under(self, prefix: str) -> list[Lease]:
        expiration = self.core.expiration
        found = []
        for key in list_recursive(expiration.storage, f"id/{prefix}"):
            lease = expiration.get(key[len("id/"):])
            if lease is not None:
                found.append(lease)
        return found

    def _schedule(self, lease: Lease) -> None:
        """Make the lease due now: the expiration manager's next tick revokes it (and retries on failure)."""
        now = self.core.clock.now()
        self.core.expiration.register(replace(lease, expire_time=min(lease.expire_time or now, now),
                                              next_attempt=0.0, irrevocable="", failures=0))

    def _revoke_now(self, lease: Lease) -> None:
        try:
            self.core.expiration.revoke(lease.id)
        except Exception as exc:  # the backing system refused: keep the lease, retry later, say so
            log.warning("lease %s: revocation failed (%s); will retry", lease.id, type(exc).__name__)
            now = self.core.clock.now()
            failed = lease.failed(now, type(exc).__name__, GIVE_UP_AFTER)
            self.core.expiration.register(replace(failed, expire_time=min(lease.expire_time or now, now)))
            raise Fault("internal error: failed to revoke lease; it will be retried") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InvalidRequest("invalid limit") from None
    if value <= 0:
        raise InvalidRequest("limit must be positive")
    return value


def paths(core: Core) -> list[Path[Any]]:
    ops = LeaseOps(core)
    update, read = Operation.UPDATE, Operation.READ
    return [
        Path("leases/lookup/?", LeaseArgs, {update: ops.lookup}, synopsis="Look up a lease."),
        Path("leases/lookup/(?P<prefix>.+)", PrefixArgs, {Operation.LIST: ops.list_prefix},
             synopsis="List lease ids under a prefix (sudo)."),
        Path("leases/renew(?:/(?P<url_lease_id>.+))?", LeaseArgs, {update: ops.renew}, synopsis="Renew a lease."),
        Path("leases/revoke(?:/(?P<url_lease_id>.+))?", LeaseArgs, {update: ops.revoke},
             synopsis="Revoke a lease."),
        Path("leases/revoke-prefix/(?P<prefix>.+)", PrefixArgs, {update: ops.revoke_prefix},
             synopsis="Revoke every lease under a prefix (sudo)."),
        Path("leases/revoke-force/(?P<prefix>.+)", PrefixArgs, {update: ops.revoke_force},
             synopsis="Remove leases under a prefix even if the backend cannot revoke them (sudo)."),
        Path("leases/tidy", PrefixArgs, {update: ops.tidy}, synopsis="Clean up lease storage."),
        Path("leases/?", ReportArgs, {read: ops.report},
             synopsis="List irrevocable leases (sudo): leases kept after every revocation attempt failed."),
        Path("leases/count", ReportArgs, {read: ops.count}, synopsis="Count irrevocable leases (sudo)."),
    ]
