"""The expiration manager: persists leases, re-arms them at unseal and revokes them when they expire.

Storage (a view below the barrier):
    id/<lease id>                  the Lease record (lease ids look like paths, so listing by prefix works)
    token/<token id>/<lease hash>  index of a token's leases, for revoke-on-token-revoke

Revocation goes through callbacks the core supplies, so engines register leases without knowing the manager.
A failed revocation is retried with exponential backoff; after `give_up_after` failures the lease is kept,
marked irrevocable and reported (never silently dropped).
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from strongroom.core.leases.lease import TOKEN, Lease
from strongroom.crypto.hashing import sha256
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import Delete, Put, Storage, Write, list_recursive

log = logging.getLogger("strongroom.leases")

RevokeFn = Callable[[Lease], None]
REVOKE_THREADS = 8
RETRY_AFTER_FAULT = 5.0


def _index_key(lease: Lease) -> str:
    return f"token/{lease.token_id}/{sha256(lease.id.encode()).hex()}"


class ExpirationManager:
    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        revoke_secret: RevokeFn,
        revoke_token: Callable[[str], None],
        *,
        give_up_after: int = 10,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self._revoke_secret = revoke_secret
        self._revoke_token = revoke_token
        self._give_up_after = give_up_after
        self._heap: list[tuple[float, str]] = []
        self._lock = threading.RLock()
        self._pool: ThreadPoolExecutor | None = None

    # --- registry -------------------------------------------------------------------------------------
    def register(self, lease: Lease) -> None:
        self.storage.batch(self.registration(lease))
        self.arm(lease)

    def registration(self, lease: Lease) -> list[Write]:
        """The writes that persist `lease` (commit them, then `arm` it)."""
        return [Put(f"id/{lease.id}", lease.serialize()), Put(_index_key(lease), lease.id.encode())]

    def arm(self, lease: Lease) -> None:
        if lease.expire_time and not lease.irrevocable:
            with self._lock:
                heapq.heappush(self._heap, (max(lease.expire_time, lease.next_attempt), lease.id))

    def get(self, lease_id: str) -> Lease | None:
        raw = self.storage.get(f"id/{lease_id}")
        return None if raw is None else Lease.deserialize(raw)

    def load(self) -> int:
        """Re-arm every persisted lease (at unseal). Returns how many were found."""
        with self._lock:
            self._heap = []
        count = 0
        for key in list_recursive(self.storage, "id/"):
            raw = self.storage.get(key)
            if raw is not None:
                self.arm(Lease.deserialize(raw))
                count += 1
        return count

    def stop(self) -> None:
        with self._lock:
            self._heap = []

    def leases_of_token(self, token_id: str) -> list[str]:
        ids = []
        for name in self.storage.list(f"token/{token_id}/"):
            raw = self.storage.get(f"token/{token_id}/{name}")
            if raw is not None:
                ids.append(raw.decode())
        return ids

    def list_ids(self, prefix: str) -> list[str]:
        return self.storage.list(f"id/{prefix}")

    # --- renew and revoke ------------------------------------------------------------------------------
    def renew(self, lease_id: str, ttl: int) -> Lease:
        lease = self.get(lease_id)
        if lease is None:
            raise InvalidRequest("lease not found")
        if not lease.renewable:
            raise InvalidRequest("lease is not renewable")
        now = self.clock.now()
        if lease.max_expire:
            ttl = int(max(0, min(ttl, lease.max_expire - now)))
        renewed = lease.renewed(now, ttl)
        self.storage.put(f"id/{lease.id}", renewed.serialize())
        self.arm(renewed)
        return renewed

    def revoke(self, lease_id: str, *, force: bool = False) -> None:
        """Revoke now. Raises the backend's error unless `force` (then the record is dropped anyway)."""
        lease = self.get(lease_id)
        if lease is None:
            return
        try:
            if lease.kind == TOKEN:
                self._revoke_token(lease.token_id)
            else:
                self._revoke_secret(lease)
        except Exception:
            if not force:
                raise
            log.warning("lease %s: revocation failed; removed anyway (force)", lease.id)
        self.forget(lease)

    def forget(self, lease: Lease) -> None:
        self.storage.batch([Delete(f"id/{lease.id}"), Delete(_index_key(lease))])

    def revoke_prefix(self, prefix: str, *, force: bool = False) -> int:
        ids = [key[len("id/") :] for key in list_recursive(self.storage, f"id/{prefix}")]
        for lease_id in ids:
            self.revoke(lease_id, force=force)
        return len(ids)

    def revoke_token_leases(self, token_id: str) -> None:
        for lease_id in self.leases_of_token(token_id):
            lease = self.get(lease_id)
            if lease is not None and lease.kind != TOKEN:
                self._try_revoke(lease, self.clock.now())

    # --- the clock ---------------------------------------------------------------------------------------
    def tick(self) -> int:
        """Revoke every lease that is due, several at once (their storage writes then share group commits).
        Returns how many were revoked."""
        now = self.clock.now()
        with self._lock:
            due: dict[str, None] = {}
            while self._heap and self._heap[0][0] <= now:
                due[heapq.heappop(self._heap)[1]] = None
        if len(due) <= 1:
            return sum(self._revoke_due(lease_id, now) for lease_id in due)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(REVOKE_THREADS, thread_name_prefix="lease-revoke")
        return sum(self._pool.map(lambda lease_id: self._revoke_due(lease_id, now), due))

    def _revoke_due(self, lease_id: str, now: float) -> bool:
        try:
            lease = self.get(lease_id)
            if lease is None or max(lease.expire_time, lease.next_attempt) > now or lease.irrevocable:
                return False  # renewed, revoked or given up since it was armed
            return self._try_revoke(lease, now)
        except Exception as exc:  # storage trouble: keep the lease armed and try again soon
            log.error("lease %s: expiry check failed (%s); retrying", lease_id, type(exc).__name__)
            with self._lock:
                heapq.heappush(self._heap, (now + RETRY_AFTER_FAULT, lease_id))
            return False

    def _try_revoke(self, lease: Lease, now: float) -> bool:
        try:
            if lease.kind == TOKEN:
                self._revoke_token(lease.token_id)
            else:
                self._revoke_secret(lease)
        except Exception as exc:  # a backing system is down: retry later, never drop
            if self.get(lease.id) is None:
                # A sibling worker process (every one re-arms every lease at unseal) revoked it meanwhile, and the
                # backend now rightly refuses a second revocation: writing the failure would resurrect the lease.
                return False
            failed = lease.failed(now, type(exc).__name__, self._give_up_after)
            self.storage.put(f"id/{lease.id}", failed.serialize())
            if failed.irrevocable:
                log.error("lease %s could not be revoked after %d attempts", lease.id, failed.failures)
            else:
                self.arm(failed)
            return False
        self.forget(lease)
        return True

    def irrevocable(self) -> list[Lease]:
        found = []
        for key in list_recursive(self.storage, "id/"):
            raw = self.storage.get(key)
            if raw is not None and (lease := Lease.deserialize(raw)).irrevocable:
                found.append(lease)
        return found
