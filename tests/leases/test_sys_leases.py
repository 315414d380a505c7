"""sys/leases through the in-process core with a frozen clock: lookup, list, renew, revoke, report."""

from __future__ import annotations

import pytest

from corefixture import CoreFixture
from strongroom.sdk.errors import Fault, InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.request import Operation


@pytest.fixture
def db(cf: CoreFixture) -> CoreFixture:
    cf.write("sys/mounts/db", type="leasing")
    return cf


def _lease(cf: CoreFixture, name: str, ttl: int = 60) -> str:
    return cf.read(f"db/creds/{name}", ttl=ttl).lease_id


def test_lookup_reports_the_reference_shape(db: CoreFixture) -> None:
    lease_id = _lease(db, "alice", ttl=30)
    data = db.write("sys/leases/lookup", lease_id=lease_id).data
    assert data is not None
    assert set(data) == {"id", "issue_time", "expire_time", "last_renewal", "renewable", "ttl", "path"}
    assert data["id"] == lease_id and data["ttl"] == 30 and data["last_renewal"] is None
    assert data["path"] == "db/creds/alice" and data["renewable"] is True


def test_lookup_of_unknown_and_revoked_leases_is_invalid(db: CoreFixture) -> None:
    with pytest.raises(InvalidRequest, match=r"^invalid lease$"):
        db.write("sys/leases/lookup", lease_id="db/creds/nobody/xyz")
    lease_id = _lease(db, "bob")
    db.write("sys/leases/revoke", lease_id=lease_id)
    with pytest.raises(InvalidRequest, match=r"^invalid lease$"):
        db.write("sys/leases/lookup", lease_id=lease_id)


def test_list_by_prefix_one_level_at_a_time(db: CoreFixture) -> None:
    first, second = _lease(db, "carol"), _lease(db, "carol")
    _lease(db, "dave")
    levels = db.call(Operation.LIST, "sys/leases/lookup/db/creds/").data
    assert levels == {"keys": ["carol/", "dave/"]}
    leaves = db.call(Operation.LIST, "sys/leases/lookup/db/creds/carol").data  # no trailing '/': same level
    assert leaves is not None and sorted(leaves["keys"]) == sorted(x.rsplit("/", 1)[1] for x in (first, second))
    with pytest.raises(NotFound):
        db.call(Operation.LIST, "sys/leases/lookup/nothing/")


def test_listing_needs_sudo(db: CoreFixture) -> None:
    db.write("sys/policies/acl/lister", policy='path "sys/leases/lookup/*" { capabilities = ["list"] }')
    token = db.token(policies=["lister"])
    with pytest.raises(PermissionDenied):
        db.call(Operation.LIST, "sys/leases/lookup/db/", token=token)


def test_renew_extends_and_is_capped_by_max_ttl_with_the_reference_warning(db: CoreFixture) -> None:
    lease_id = _lease(db, "erin", ttl=60)  # the leasing engine's max_ttl is 600
    db.clock.advance(30)
    renewed = db.write("sys/leases/renew", lease_id=lease_id, increment="2m")
    assert renewed.lease_duration == 120 and renewed.lease_id == lease_id and renewed.renewable
    assert renewed.warnings == []
    lookup = db.write("sys/leases/lookup", lease_id=lease_id).data
    assert lookup is not None and lookup["last_renewal"] is not None and lookup["ttl"] == 120
    capped = db.write("sys/leases/renew", lease_id=lease_id, increment="48h")
    assert capped.lease_duration == 570  # 600 from issue, 30 already spent
    assert capped.warnings == ['TTL of "48h" exceeded the effective max_ttl of "9m30s"; TTL value is capped '
                               "accordingly"]


def test_renew_by_url_and_errors(db: CoreFixture) -> None:
    lease_id = _lease(db, "fay")
    assert db.write(f"sys/leases/renew/{lease_id}", increment=90).lease_duration == 90
    with pytest.raises(InvalidRequest, match=r"^lease not found$"):
        db.write("sys/leases/renew", lease_id="db/creds/none/x")
    with pytest.raises(InvalidRequest, match="missing lease_id"):
        db.write("sys/leases/renew")


def test_token_leases_are_not_renewable_through_sys_leases(db: CoreFixture) -> None:
    db.token(ttl="1h")
    [lease_key] = [k for k in db.core.expiration.list_ids("auth/token/create/")]
    with pytest.raises(InvalidRequest, match="lease is not renewable"):
        db.write("sys/leases/renew", lease_id=f"auth/token/create/{lease_key}")


def test_revoke_unknown_is_quiet_and_async_answers_202(db: CoreFixture) -> None:
    assert db.write("sys/leases/revoke", lease_id="db/creds/ghost/abc").is_empty()
    assert db.write("sys/leases/revoke", lease_id="db/creds/ghost/abc", sync=False).status == 202
    lease_id = _lease(db, "gail")
    response = db.write("sys/leases/revoke", lease_id=lease_id, sync=False)
    assert response.status == 202
    assert db.engine.revoked == []  # queued for the expiration manager
    db.core.tick()
    assert db.engine.revoked == ["gail"] and db.core.expiration.get(lease_id) is None


def test_revoke_by_url(db: CoreFixture) -> None:
    lease_id = _lease(db, "hal")
    db.write(f"sys/leases/revoke/{lease_id}")
    assert db.engine.revoked == ["hal"]


def test_failed_sync_revoke_keeps_the_lease_for_retry(db: CoreFixture) -> None:
    lease_id = _lease(db, "ivy")
    db.engine.failing = True
    with pytest.raises(Fault):
        db.write("sys/leases/revoke", lease_id=lease_id)
    lease = db.core.expiration.get(lease_id)
    assert lease is not None and lease.failures == 1
    db.engine.failing = False
    db.clock.advance(3)
    db.core.tick()
    assert db.engine.revoked == ["ivy"]


def test_revoke_prefix_and_force(db: CoreFixture) -> None:
    for name in ("jo", "jo", "kim"):
        _lease(db, name)
    db.write("sys/leases/revoke-prefix/db/creds/jo")
    assert db.engine.revoked == ["jo", "jo"]
    db.engine.failing = True
    with pytest.raises(Fault):
        db.write("sys/leases/revoke-prefix/db/creds/")
    assert db.call(Operation.LIST, "sys/leases/lookup/db/creds/").data == {"keys": ["kim/"]}
    db.write("sys/leases/revoke-force/db/creds/")
    with pytest.raises(NotFound):
        db.call(Operation.LIST, "sys/leases/lookup/db/creds/")
    assert db.engine.revoked == ["jo", "jo"]


def test_revoke_prefix_async(db: CoreFixture) -> None:
    _lease(db, "lee")
    assert db.write("sys/leases/revoke-prefix/db/", sync=False).status == 202
    db.core.tick()
    assert db.engine.revoked == ["lee"]


def test_revoke_prefix_needs_sudo(db: CoreFixture) -> None:
    db.write("sys/policies/acl/revoker", policy='path "sys/leases/*" { capabilities = ["update"] }')
    token = db.token(policies=["revoker"])
    with pytest.raises(PermissionDenied):
        db.write("sys/leases/revoke-prefix/db/", token=token)


def test_revoking_a_token_revokes_its_leases_and_lookup_shows_them_gone(db: CoreFixture) -> None:
    db.write("sys/policies/acl/db", policy='path "db/*" { capabilities = ["read"] }')
    token = db.token(policies=["db"])
    lease_id = db.read("db/creds/max", token=token).lease_id
    db.write("auth/token/revoke", body={"token": token})
    assert db.engine.revoked == ["max"]
    with pytest.raises(InvalidRequest, match="invalid lease"):
        db.write("sys/leases/lookup", lease_id=lease_id)


def test_leases_expire_on_the_injected_clock(db: CoreFixture) -> None:
    short, long = _lease(db, "ned", ttl=10), _lease(db, "olga", ttl=100)
    db.clock.advance(11)
    db.core.tick()
    assert db.engine.revoked == ["ned"]
    assert db.core.expiration.get(short) is None and db.core.expiration.get(long) is not None
    db.write("sys/leases/renew", lease_id=long, increment=200)
    db.clock.advance(100)
    db.core.tick()
    assert db.engine.revoked == ["ned"]  # renewed past its first expiry
    db.clock.advance(101)
    db.core.tick()
    assert db.engine.revoked == ["ned", "olga"]


def test_irrevocable_leases_are_reported_not_dropped(db: CoreFixture) -> None:
    lease_id = _lease(db, "pat", ttl=5)
    db.engine.failing = True
    db.clock.advance(6)
    for _ in range(10):
        db.core.tick()
        db.clock.advance(301)
    lease = db.core.expiration.get(lease_id)
    assert lease is not None and lease.irrevocable == "ConnectionError"
    report = db.read("sys/leases", type="irrevocable").data
    assert report is not None and report["lease_count"] == 1
    assert report["leases"][0]["lease_id"] == lease_id and report["leases"][0]["error"] == "ConnectionError"
    assert db.read("sys/leases/count", type="irrevocable").data == {"lease_count": 1}
    with pytest.raises(InvalidRequest, match="irrevocable"):
        db.read("sys/leases", type="all")
    # An operator can still clear it once the backing system is back, or force it away.
    db.engine.failing = False
    db.write("sys/leases/revoke", lease_id=lease_id)
    assert db.engine.revoked == ["pat"]
    assert db.read("sys/leases/count", type="irrevocable").data == {"lease_count": 0}


def test_irrevocable_report_needs_sudo(db: CoreFixture) -> None:
    db.write("sys/policies/acl/reader", policy='path "sys/leases*" { capabilities = ["read"] }')
    token = db.token(policies=["reader"])
    for path in ("sys/leases", "sys/leases/count"):
        with pytest.raises(PermissionDenied):
            db.read(path, token=token, type="irrevocable")


def test_tidy_answers_202_and_revokes_leases_of_vanished_tokens(db: CoreFixture) -> None:
    db.write("sys/policies/acl/db", policy='path "db/*" { capabilities = ["read"] }')
    token = db.token(policies=["db"])
    db.read("db/creds/quinn", token=token)
    token_id = db.core.tokens.hash(token)
    db.core.tokens.storage.delete(f"id/{token_id}")  # the token vanished without its revoke hooks
    response = db.write("sys/leases/tidy")
    assert response.status == 202 and response.warnings
    db.core.tick()
    assert db.engine.revoked == ["quinn"]


def test_backoff_doubles_to_five_minutes_and_survives_a_seal(db: CoreFixture) -> None:
    """Each failed attempt waits twice as long as the last (2 s, 4 s, ... capped at 300 s); the count and the
    next attempt are persisted, so a seal and unseal in between neither forgets the lease nor retries early."""
    lease_id = _lease(db, "rita", ttl=5)
    db.engine.failing = True
    db.clock.advance(6)
    delays = []
    for attempt in range(9):
        db.core.tick()
        lease = db.core.expiration.get(lease_id)
        assert lease is not None and lease.failures == attempt + 1 and not lease.irrevocable
        delays.append(round(lease.next_attempt - db.clock.now()))
        if attempt == 4:
            db.core.seal_now()
            db.core.submit_unseal_key(db.unseal_key)
        db.clock.advance(delays[-1] - 1)
        db.core.tick()  # one second early: no attempt
        assert db.core.expiration.get(lease_id).failures == attempt + 1  # type: ignore[union-attr]
        db.clock.advance(1)
    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    db.core.tick()  # the tenth failure: kept, marked irrevocable, no longer retried
    lease = db.core.expiration.get(lease_id)
    assert lease is not None and lease.failures == 10 and lease.irrevocable == "ConnectionError"
    db.engine.failing = False
    db.clock.advance(3600)
    db.core.tick()
    assert db.engine.revoked == [] and db.core.expiration.get(lease_id) is not None


def test_disabling_a_mount_whose_leases_cannot_be_revoked_keeps_it(db: CoreFixture) -> None:
    lease_id = _lease(db, "max")
    db.engine.failing = True
    with pytest.raises(Fault, match=r"failed to revoke the leases under db/.*mount was kept"):
        db.call(Operation.DELETE, "sys/mounts/db")
    assert "db/" in (db.read("sys/mounts").data or {})
    assert db.core.expiration.get(lease_id) is not None  # not dropped: still there to revoke
    db.engine.failing = False
    db.call(Operation.DELETE, "sys/mounts/db")
    assert db.engine.revoked == ["max"]
    assert "db/" not in (db.read("sys/mounts").data or {})
