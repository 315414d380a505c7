"""The core: `Core.handle(Request) -> Response`, and the seal lifecycle around it.

Pipeline for every request: route (longest mount prefix) -> authenticate the token -> decide create versus
update -> authorize (ACL, sudo, parameters) -> consume a token use -> audit the request -> call the backend ->
mint a token for a login / register a lease for a secret -> wrap if asked -> audit the response.
The core knows nothing of HTTP; engines and auth methods arrive as catalogues from the server.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from strongroom.core import auditing, issuing
from strongroom.core.audit.broker import AuditBroker
from strongroom.core.barrier.barrier import Barrier
from strongroom.core.config import CoreConfig
from strongroom.core.identity.grants import check_enabled, token_acl
from strongroom.core.identity.resolve import Resolver
from strongroom.core.identity.store import IdentityStore
from strongroom.core.leases.expiration import ExpirationManager
from strongroom.core.leases.lease import Lease
from strongroom.core.lockout import LockoutService
from strongroom.core.mounts import Factory, MountManager
from strongroom.core.policy.acl import check_parameters
from strongroom.core.policy.builtin import requires_sudo
from strongroom.core.policy.store import PolicyStore
from strongroom.core.quotas.buckets import Buckets, MemoryBuckets, SQLiteBuckets
from strongroom.core.quotas.manager import QuotaManager
from strongroom.core.routing.mount_table import MountEntry
from strongroom.core.routing.router import Mounted, Router
from strongroom.core.seal.shamir_seal import ShamirSeal
from strongroom.core.tokens.entry import TokenEntry
from strongroom.core.tokens.store import TokenStore
from strongroom.crypto.random import new_uuid
from strongroom.sdk.clock import Clock, SystemClock
from strongroom.sdk.errors import Fault, PermissionDenied, RateLimited, Sealed, UnsupportedPath, UserError
from strongroom.sdk.request import Caller, Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import StorageView
from strongroom.storage.base import PhysicalBackend

log = logging.getLogger("strongroom.core")

WRITE_OPERATIONS = (Operation.CREATE, Operation.UPDATE)
READ_OPERATIONS = (Operation.READ, Operation.LIST, Operation.HELP)
ACL_DENIED = "1 error occurred:\n\t* permission denied\n\n"
WRAPPING_POLICY = "response-wrapping"


class Core:
    def __init__(
        self,
        physical: PhysicalBackend,
        engines: Mapping[str, Factory],
        auth_methods: Mapping[str, Factory],
        *,
        clock: Clock | None = None,
        config: CoreConfig | None = None,
    ) -> None:
        self.physical = physical
        self.clock = clock or SystemClock()
        self.config = config or CoreConfig()
        self.barrier = Barrier(physical)
        self.seal = ShamirSeal(self.barrier)
        self.router = Router()
        self.mounts = MountManager(self.barrier, self.router, self.clock, {"secret": engines, "auth": auth_methods},
                                   self.config.default_lease_ttl, self.config.max_lease_ttl)
        self.token_view = StorageView(self.barrier, "sys/token/")
        self.lease_view = StorageView(self.barrier, "sys/expire/")
        self.tokens = TokenStore(self.token_view, self.clock)
        self.policies = PolicyStore(StorageView(self.barrier, "sys/policy/"))
        self.identity = IdentityStore(StorageView(self.barrier, "sys/identity/"), self.clock)
        self.resolver = Resolver(self.identity)
        self.expiration = ExpirationManager(self.lease_view, self.clock,
                                            self._revoke_secret_lease, self._revoke_token_lease)
        self.audit = AuditBroker(StorageView(self.barrier, "sys/audit/"), self.clock)
        self.wrapping = StorageView(self.barrier, "sys/wrapping/")
        self.lockout = LockoutService(StorageView(self.barrier, "sys/lockout/"), self.clock,
                                      self.config.user_lockout, self._auth_entry)
        self.mounts.login_guard = self.lockout.guard
        buckets: Buckets = (SQLiteBuckets(self.config.quota_state_path) if self.config.quota_state_path
                            else MemoryBuckets())
        self.quotas = QuotaManager(StorageView(self.barrier, "sys/quotas/"), self.clock, buckets)
        self.cluster_id = ""
        self._lock = threading.RLock()
        self.tokens.on_revoke.append(self._on_token_revoked)
        self.barrier.on_external_change.append(self._on_external_change)
        # Told of each unseal share, progress reset and seal, so sibling worker processes can follow.
        self.on_share: list[Callable[[bytes], None]] = []
        self.on_reset: list[Callable[[], None]] = []
        self.on_sealed: list[Callable[[], None]] = []
        from strongroom.core.system import builtins

        builtins.install(self)

    # --- lifecycle -------------------------------------------------------------------------------------
    @property
    def sealed(self) -> bool:
        return self.barrier.sealed

    def initialize(self, shares: int, threshold: int, root_token: str | None = None) -> tuple[list[bytes], str]:
        """Initialise storage; returns the unseal key shares and the first root token."""
        with self._lock:
            keys = self.seal.initialize(shares, threshold, self.clock.now())
            self.barrier.unseal(keys[0] if shares == 1 else _combine(keys[:threshold]))
            try:
                token, _ = self.tokens.create(issuing.root_entry(self.clock.now()), root_token)
                self.lockout.store.ensure_salt()
                self.identity.ensure_salt()
            finally:
                self.barrier.seal()
                self.tokens.reset()
                self.identity.reset()
            return keys, token

    def submit_unseal_key(self, share: bytes, *, announce: bool = True) -> bool:
        """Add an unseal key share; True once unsealed. Listeners (sibling worker processes) get the share
        first, so progress is shared whichever process an operator's request reaches."""
        if announce and self.sealed:
            for listener in self.on_share:
                listener(share)
        with self._lock:
            if not self.sealed:
                return True
            if self.seal.submit(share) is None:
                return False
            self._post_unseal()
        return True

    def reset_unseal(self, *, announce: bool = True) -> None:
        self.seal.reset()
        if announce:
            for listener in self.on_reset:
                listener()

    def unseal_with_key(self, key: bytes) -> None:
        """Unseal with the combined key a sibling process announced."""
        with self._lock:
            if self.sealed:
                self.barrier.unseal(key)
                self._post_unseal()

    def _post_unseal(self) -> None:
        from strongroom.core.system import builtins

        self.mounts.load(builtins.default_mounts(self))
        self.expiration.load()
        self.audit.load()
        self.quotas.load()
        for device in self.config.audit_devices:
            self.audit.enable(device.path, device.type, device.options, device.description, declared=True)
        self.cluster_id = self.cluster_id or new_uuid()

    def _on_external_change(self) -> None:
        """Another server process wrote to the shared storage: refresh what this one keeps in memory."""
        self.policies.invalidate()
        self.identity.invalidate()
        self.mounts.refresh()
        self.quotas.refresh()

    def seal_now(self, *, announce: bool = True) -> None:
        # The barrier first, outside the core lock: a periodic tick holding that lock must not keep this
        # process (a worker following a sibling's seal) serving requests after the operator sealed.
        self.barrier.seal()
        with self._lock:
            self.expiration.stop()
            self.router.clear()
            self.tokens.reset()
            self.identity.reset()
            self.lockout.store.reset()
            self.quotas.active = False
            self.policies = PolicyStore(StorageView(self.barrier, "sys/policy/"))
            self.audit = AuditBroker(StorageView(self.barrier, "sys/audit/"), self.clock)
            self.barrier.seal()
        if announce:
            for listener in self.on_sealed:
                listener()

    def tick(self) -> None:
        """Called about once a second by the server: revoke due leases, run engines' periodic work."""
        if self.sealed:
            return
        with self._lock:
            self.expiration.tick()
            self.lockout.tidy(self.barrier.sync)
            for mounted in self.router.all():
                try:
                    mounted.backend.periodic(self.clock.now())
                except Exception:
                    log.exception("periodic work of %s failed", mounted.entry.router_path)

    # --- the request pipeline -----------------------------------------------------------------------------
    def runs_inline(self, request: Request) -> bool:
        """Whether `request` may be served on the caller's event loop: reads, and writes to paths that their
        backend marks `inline` (they seldom touch storage). Anything unknown is refused fast, so inline too."""
        if request.operation in READ_OPERATIONS:
            return True
        found = None if self.sealed else self.router.match(request.path)
        if found is None:
            return True
        try:
            path, _ = found[0].backend.match(found[1])
        except UserError:
            return True
        return path.inline

    def handle(self, request: Request) -> Response:
        if self.sealed:
            raise Sealed()
        self.barrier.sync()
        if not request.id:
            request = request.with_(id=new_uuid())
        found = self.router.match(request.path)
        if found is None:
            raise UnsupportedPath(f'no handler for route "{request.path}". route entry not found.')
        mounted, rest = found
        limits = self._apply_quotas(request, mounted, rest) if self.quotas.active else None
        entry = self.tokens.lookup(request.client_token) if request.client_token else None
        try:
            routed = self._authorize(request, mounted, rest, entry)
            # A use is spent only where the token authorised the request: an unauthenticated path (a login,
            # sys/wrapping/lookup) must not burn, or revoke, a limited-use or wrapping token sent along with it.
            if entry is not None and entry.num_uses != 0 and not mounted.backend.is_unauthenticated(rest):
                entry = self.tokens.use(entry)  # PermissionDenied when the last use is spent, here or in a sibling
        except UserError as exc:
            self._audit_refusal(request, mounted, entry, exc)
            raise
        audited = self.audit.enabled
        audit_request = auditing.request_entry(routed, request.path, entry, mounted.entry) if audited else {}
        if audited:
            self._audit("request", audit_request)
        try:
            response = mounted.backend.handle(routed)
            response = self._finish(routed, request.path, mounted, entry, response)
        except UserError as exc:
            if audited:
                self._audit("response", auditing.response_entry(audit_request, None, str(exc.message)))
            raise
        finally:
            if entry is not None and entry.num_uses == -1:
                self.tokens.revoke_tree(entry.id)
        if audited:
            self._audit("response", auditing.response_entry(audit_request, response, ""))
        if limits:
            response.headers = {**(response.headers or {}), **limits}
        return response

    def _apply_quotas(self, request: Request, mounted: Mounted, rest: str) -> dict[str, str]:
        """Rate-limit quotas, before authentication (as in Vault); a refusal is audited when configured."""
        backend = mounted.backend

        def role() -> str:
            return backend.resolve_role(request.with_(path=rest))

        try:
            return self.quotas.check(request.path, mounted.entry.router_path, rest, request.remote_addr, role)
        except RateLimited as exc:
            if self.quotas.audit_refusals:
                self._audit_refusal(request, mounted, None, exc)
            raise

    def _audit_refusal(self, request: Request, mounted: Mounted, token: TokenEntry | None, exc: UserError) -> None:
        """A refused request is audited too, with its error, so denials leave a trace."""
        if not self.audit.enabled:
            return
        entry = auditing.request_entry(request, request.path, token, mounted.entry)
        entry["error"] = exc.message or type(exc).__name__
        self._audit("request", entry)

    def _authorize(self, request: Request, mounted: Mounted, rest: str, entry: TokenEntry | None) -> Request:
        """Authenticate and authorize; returns the request as the backend will see it (path below the mount,
        caller filled in, create or update decided by the backend's existence check)."""
        backend = mounted.backend
        unauthenticated = backend.is_unauthenticated(rest)
        if not unauthenticated:
            if entry is None:
                raise PermissionDenied()
            self._check_cidrs(entry, request.remote_addr)
        routed = Request(
            request.operation, rest, request.data, request.id, request.client_token,
            _caller(entry) if entry is not None else None, request.headers, request.remote_addr,
            mounted.entry.router_path, mounted.entry.type, mounted.entry.accessor, request.wrap_ttl,
        )
        if routed.operation in WRITE_OPERATIONS:
            operation = Operation.CREATE if backend.exists(routed) is False else Operation.UPDATE
            if operation is not routed.operation:
                routed = routed.with_(operation=operation)
        if unauthenticated or routed.operation is Operation.HELP:
            return routed
        assert entry is not None
        if WRAPPING_POLICY in entry.policies:
            if request.path not in ("sys/wrapping/unwrap", "sys/wrapping/lookup"):
                raise PermissionDenied()
            return routed
        check_enabled(self.resolver, entry)
        decision = token_acl(self.policies, self.resolver, entry).check(request.path, routed.operation.value)
        if not decision.allowed:
            raise PermissionDenied(ACL_DENIED)
        if (requires_sudo(request.path) or backend.needs_sudo(rest)) and not decision.sudo:
            raise PermissionDenied(ACL_DENIED)
        if not check_parameters(decision, request.data):
            raise PermissionDenied(ACL_DENIED)
        return routed

    def _check_cidrs(self, entry: TokenEntry, remote: str) -> None:
        if not entry.bound_cidrs:
            return
        try:
            address = ipaddress.ip_address(remote)
        except ValueError:
            raise PermissionDenied() from None
        if not any(address in ipaddress.ip_network(c, strict=False) for c in entry.bound_cidrs):
            raise PermissionDenied()

    def _finish(self, request: Request, full_path: str, mounted: Mounted, entry: TokenEntry | None,
                response: Response) -> Response:
        if response.auth is not None:
            response = issuing.login(self, request, full_path, mounted.entry, response)
        if response.lease is not None:
            if entry is None:
                raise Fault("a leased secret needs an authenticated caller")
            response = issuing.lease(self, full_path, mounted.entry, entry, response)
        if request.wrap_ttl:
            from strongroom.core import wrapping

            response = wrapping.wrap(self, request, full_path, response)
        return response

    def _audit(self, kind: str, entry: dict[str, Any]) -> None:
        try:
            if kind == "request":
                self.audit.log_request(entry)
            else:
                self.audit.log_response(entry)
        except Exception as exc:
            log.error("audit write failed; refusing the request: %s", type(exc).__name__)
            raise Fault("internal error: audit log unavailable") from None

    # --- revocation callbacks ---------------------------------------------------------------------------
    def _on_token_revoked(self, token_id: str) -> None:
        self.expiration.revoke_token_leases(token_id)
        for mounted in self.router.all():
            mounted.backend.token_revoked(token_id)
        self.wrapping.delete(token_id)

    def _revoke_token_lease(self, token_id: str) -> None:
        self.tokens.revoke_tree(token_id)

    def _revoke_secret_lease(self, lease: Lease) -> None:
        mounted = self.router.get(lease.mount)
        if mounted is None:
            return  # the mount is gone, and its secrets with it
        secret_type = mounted.backend.secret_types.get(lease.secret_type)
        if secret_type is not None:
            secret_type.revoke(lease.internal)

    def _auth_entry(self, accessor: str) -> MountEntry | None:
        for mounted in self.router.all():
            if mounted.entry.accessor == accessor:
                return mounted.entry
        return None

    def mount_entry(self, router_path: str) -> MountEntry | None:
        mounted = self.router.get(router_path)
        return None if mounted is None else mounted.entry


def _caller(entry: TokenEntry) -> Caller:
    return Caller(token_id=entry.id, accessor=entry.accessor, policies=entry.policies,
                  display_name=entry.display_name, entity_id=entry.entity_id, metadata=entry.meta,
                  is_root=entry.is_root, token_type=entry.type)


def _combine(parts: list[bytes]) -> bytes:
    from strongroom.crypto.shamir import combine

    return combine(parts)
