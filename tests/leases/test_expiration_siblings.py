"""Two server processes over one storage each re-arm every lease at unseal, so both may try to revoke the same
lease when it expires. The one that loses the race must not write its (expected) failure back: that would
resurrect a revoked lease, retry it for ever and finally report it irrevocable."""

from __future__ import annotations

from corefixture import db_lease
from strongroom.core.leases.expiration import ExpirationManager
from strongroom.core.leases.lease import Lease
from strongroom.sdk.clock import FrozenClock
from strongroom.storage.memory import InMemoryBackend


def test_the_sibling_that_loses_the_race_does_not_resurrect_the_lease() -> None:
    storage, clock = InMemoryBackend(), FrozenClock()
    revoked: list[str] = []
    first = ExpirationManager(storage, clock, lambda lease: revoked.append(lease.id), lambda _: None)

    def second_revoke(lease: Lease) -> None:
        first.tick()  # the sibling finishes first ...
        raise ConnectionError("no such user")  # ... so the backend refuses the second revocation

    second = ExpirationManager(storage, clock, second_revoke, lambda _: None)
    first.register(db_lease(clock, "amy"))
    assert second.load() == 1  # as at unseal: both processes have it armed
    clock.advance(11)
    assert second.tick() == 0
    assert revoked == ["db/creds/amy"]
    assert first.get("db/creds/amy") is None and second.get("db/creds/amy") is None
    assert storage.list("token/t1/") == [] and second.irrevocable() == []


def test_a_failure_on_a_lease_nobody_revoked_is_still_kept_for_retry() -> None:
    storage, clock = InMemoryBackend(), FrozenClock()

    def down(lease: Lease) -> None:
        raise ConnectionError("backend down")

    manager = ExpirationManager(storage, clock, down, lambda _: None)
    manager.register(db_lease(clock, "bo"))
    clock.advance(11)
    assert manager.tick() == 0
    kept = manager.get("db/creds/bo")
    assert kept is not None and kept.failures == 1 and kept.next_attempt == clock.now() + 2
