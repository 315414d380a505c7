"""The request pipeline in process: authentication, ACL, sudo, token uses, leases and expiry."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from corefixture import CoreFixture
from strongroom.auth import CATALOG as AUTH
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import InvalidRequest, PermissionDenied, Sealed, UnsupportedPath
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.storage import Write, list_recursive
from strongroom.storage.memory import InMemoryBackend


def _creator(cf: CoreFixture) -> str:
    cf.write("sys/policies/acl/creator", policy='path "auth/token/create" { capabilities = ["update"] }')
    return cf.token(policies=["creator"])


def test_unknown_mount_and_missing_token(cf: CoreFixture) -> None:
    with pytest.raises(UnsupportedPath, match="no handler for route"):
        cf.read("nosuch/path")
    with pytest.raises(PermissionDenied, match=r"^permission denied$"):
        cf.read("secret/data/x", token="")
    with pytest.raises(PermissionDenied):
        cf.read("secret/data/x", token="sr.s.not-a-real-token")


def test_acl_allows_only_what_the_policy_grants(cf: CoreFixture) -> None:
    cf.write("sys/policies/acl/reader", policy='path "secret/data/app/*" { capabilities = ["read"] }')
    cf.write("secret/data/app/one", data={"k": "v"})
    token = cf.token(policies=["reader"])
    assert cf.read("secret/data/app/one", token=token).data["data"] == {"k": "v"}  # type: ignore[index]
    with pytest.raises(PermissionDenied, match="permission denied"):
        cf.write("secret/data/app/one", token=token, data={"k": "x"})
    with pytest.raises(PermissionDenied):
        cf.read("secret/data/other", token=token)


def test_sudo_paths_need_sudo(cf: CoreFixture) -> None:
    cf.write("sys/policies/acl/ops", policy='path "sys/audit" { capabilities = ["read"] }\n'
             'path "sys/rotate" { capabilities = ["update"] }')
    token = cf.token(policies=["ops"])
    with pytest.raises(PermissionDenied):
        cf.read("sys/audit", token=token)
    with pytest.raises(PermissionDenied):
        cf.write("sys/rotate", token=token)
    cf.write("sys/policies/acl/ops", policy='path "sys/rotate" { capabilities = ["update", "sudo"] }')
    cf.write("sys/rotate", token=token)
    assert cf.read("sys/key-status").data["term"] == 2  # type: ignore[index]


def test_limited_use_token_is_revoked_after_its_last_use(cf: CoreFixture) -> None:
    token = cf.token(num_uses=2)
    assert cf.read("auth/token/lookup-self", token=token).data["num_uses"] == 1  # type: ignore[index]
    assert cf.read("auth/token/lookup-self", token=token).data["num_uses"] == -1  # type: ignore[index]
    with pytest.raises(PermissionDenied):
        cf.read("auth/token/lookup-self", token=token)


def test_token_expires_on_the_clock_and_by_the_expiration_manager(cf: CoreFixture) -> None:
    token = cf.token(ttl="60s")
    cf.clock.advance(59)
    cf.read("auth/token/lookup-self", token=token)
    cf.clock.advance(2)
    with pytest.raises(PermissionDenied):
        cf.read("auth/token/lookup-self", token=token)
    cf.core.tick()
    assert cf.core.tokens.storage.list("id/") == [cf.core.tokens.hash(cf.root)]


def test_revoking_a_parent_revokes_children_but_not_orphans(cf: CoreFixture) -> None:
    parent = _creator(cf)
    auth = cf.write("auth/token/create", token=parent, policies=["default"]).auth_out
    assert auth is not None
    child = auth["client_token"]
    orphan_auth = cf.write("auth/token/create-orphan", policies=["default"]).auth_out
    assert orphan_auth is not None
    cf.write("auth/token/revoke", body={"token": parent})
    for gone in (parent, child):
        with pytest.raises(PermissionDenied):
            cf.read("auth/token/lookup-self", token=gone)
    assert cf.read("auth/token/lookup-self", token=orphan_auth["client_token"]).data["orphan"] is True  # type: ignore[index]


def test_revoke_orphan_keeps_the_children(cf: CoreFixture) -> None:
    parent = _creator(cf)
    child = cf.write("auth/token/create", token=parent, policies=["default"]).auth_out["client_token"]  # type: ignore[index]
    cf.write("auth/token/revoke-orphan", body={"token": parent})
    assert cf.read("auth/token/lookup-self", token=child).data["orphan"] is True  # type: ignore[index]


def test_child_policies_must_be_a_subset(cf: CoreFixture) -> None:
    parent = _creator(cf)
    with pytest.raises(InvalidRequest, match="subset of parent"):
        cf.write("auth/token/create", token=parent, policies=["admin"])
    child = cf.write("auth/token/create", token=parent).auth_out
    assert child is not None and child["policies"] == ["creator", "default"]


def test_leases_are_registered_and_revoked_at_expiry(cf: CoreFixture) -> None:
    cf.write("sys/mounts/db", type="leasing")
    response = cf.read("db/creds/alice", ttl=30)
    assert response.lease_id.startswith("db/creds/alice/") and response.lease_duration == 30
    cf.clock.advance(31)
    cf.core.tick()
    assert cf.engine.revoked == ["alice"]
    assert cf.core.expiration.get(response.lease_id) is None


def test_failed_revocations_are_retried_with_backoff_not_dropped(cf: CoreFixture) -> None:
    cf.write("sys/mounts/db", type="leasing")
    lease_id = cf.read("db/creds/bob", ttl=10).lease_id
    cf.engine.failing = True
    cf.clock.advance(11)
    cf.core.tick()
    lease = cf.core.expiration.get(lease_id)
    assert lease is not None and lease.failures == 1 and lease.next_attempt > cf.clock.now()
    cf.engine.failing = False
    cf.clock.advance(1)
    cf.core.tick()
    assert cf.engine.revoked == []  # still backing off
    cf.clock.advance(5)
    cf.core.tick()
    assert cf.engine.revoked == ["bob"]


def test_leases_survive_seal_and_unseal(cf: CoreFixture) -> None:
    cf.write("sys/mounts/db", type="leasing")
    cf.read("db/creds/carol", ttl=20)
    cf.core.seal_now()
    with pytest.raises(Sealed):
        cf.read("sys/mounts")
    cf.core.submit_unseal_key(cf.unseal_key)
    cf.clock.advance(21)
    cf.core.tick()
    assert cf.engine.revoked == ["carol"]


def test_revoking_a_token_revokes_its_leases(cf: CoreFixture) -> None:
    cf.write("sys/mounts/db", type="leasing")
    cf.write("sys/policies/acl/db", policy='path "db/*" { capabilities = ["read"] }')
    token = cf.token(policies=["db"])
    cf.read("db/creds/dave", token=token)
    cf.write("auth/token/revoke", body={"token": token})
    assert cf.engine.revoked == ["dave"]


def test_wrapping_unwraps_exactly_once(cf: CoreFixture) -> None:
    from strongroom.sdk.request import Request

    cf.write("secret/data/wrapped", data={"pw": "s3cret"})
    wrapped = cf.core.handle(Request(Operation.READ, "secret/data/wrapped", {}, client_token=cf.root, wrap_ttl=60))
    assert wrapped.wrap_info is not None and wrapped.data is None
    wrapping_token = wrapped.wrap_info["token"]
    body = cf.write("sys/wrapping/unwrap", token=wrapping_token).raw
    assert body is not None and body.body["data"]["data"] == {"pw": "s3cret"}  # type: ignore[index]
    with pytest.raises((InvalidRequest, PermissionDenied)):
        cf.write("sys/wrapping/unwrap", token=wrapping_token)
    with pytest.raises(InvalidRequest, match="wrapping token is not valid"):
        cf.write("sys/wrapping/unwrap", body={"token": wrapping_token})


class _LeaseWritesFail(InMemoryBackend):
    """A disk that fails every commit that would store a lease."""

    def batch(self, writes: Iterable[Write]) -> None:
        writes = list(writes)
        if any(w.key.startswith("sys/expire/") for w in writes):
            raise OSError("disk full")
        super().batch(writes)


def test_a_token_is_never_stored_without_its_lease() -> None:
    core = Core(_LeaseWritesFail(), ENGINES, AUTH, clock=FrozenClock(), config=CoreConfig(dev_mode=True))
    keys, root = core.initialize(1, 1)
    core.submit_unseal_key(keys[0])
    before = list_recursive(core.token_view)
    with pytest.raises(OSError):
        core.handle(Request(Operation.UPDATE, "auth/token/create", {"ttl": "1h"}, client_token=root))
    assert list_recursive(core.token_view) == before  # the failed commit took the token and its accessor with it
