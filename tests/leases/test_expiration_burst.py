"""Many leases falling due at once: the expiration manager revokes them several at a time (so their storage
writes share group commits), each exactly once, keeps the failures for retry, and keeps a lease armed when
storage itself fails while it is being checked."""

from __future__ import annotations

import threading

from corefixture import db_lease
from strongroom.core.leases.expiration import RETRY_AFTER_FAULT, ExpirationManager
from strongroom.core.leases.lease import Lease
from strongroom.sdk.clock import FrozenClock
from strongroom.storage.memory import InMemoryBackend


def test_a_burst_is_revoked_concurrently_each_lease_once_failures_kept() -> None:
    storage, clock = InMemoryBackend(), FrozenClock()
    revoked: list[str] = []
    lock = threading.Lock()
    two_at_once = threading.Barrier(2, timeout=5)  # the first two revocations wait for each other

    def revoke(lease: Lease) -> None:
        number = int(lease.id.rsplit("-", 1)[1])
        if number < 2:
            two_at_once.wait()  # raises (and so fails the revocation) if they ran one after the other
        if number % 10 == 9:
            raise ConnectionError("backend down")
        with lock:
            revoked.append(lease.id)

    manager = ExpirationManager(storage, clock, revoke, lambda _: None)
    for number in range(200):
        manager.register(db_lease(clock, f"user-{number}"))
    clock.advance(11)
    assert manager.tick() == 180
    assert sorted(revoked) == sorted(f"db/creds/user-{n}" for n in range(200) if n % 10 != 9)
    assert "db/creds/user-0" in revoked and "db/creds/user-1" in revoked
    kept = manager.list_ids("db/creds/")
    assert sorted(kept) == sorted(f"user-{n}" for n in range(200) if n % 10 == 9)
    assert all((lease := manager.get(f"db/creds/{name}")) is not None and lease.failures == 1 for name in kept)


class _DiskFailsOnce(InMemoryBackend):
    """Storage whose next read of one key fails, as a disk error would."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.failing_key: str | None = key

    def get(self, key: str) -> bytes | None:
        if key == self.failing_key:
            self.failing_key = None
            raise OSError("disk I/O error")
        return super().get(key)


def test_a_storage_fault_while_checking_keeps_the_lease_armed() -> None:
    storage, clock = _DiskFailsOnce("id/db/creds/amy"), FrozenClock()
    revoked: list[str] = []
    manager = ExpirationManager(storage, clock, lambda lease: revoked.append(lease.id), lambda _: None)
    manager.register(db_lease(clock, "amy"))
    clock.advance(11)
    assert manager.tick() == 0 and revoked == []
    assert storage.failing_key is None  # the fault happened
    clock.advance(RETRY_AFTER_FAULT)
    assert manager.tick() == 1 and revoked == ["db/creds/amy"]
    assert manager.get("db/creds/amy") is None
