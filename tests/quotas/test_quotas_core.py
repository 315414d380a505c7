"""Rate-limit quotas through the in-process core (frozen clock): the API, 429 with Retry-After, most specific
rule wins, block_interval, exempt paths, response headers, per-client windows, audit of refusals."""

from __future__ import annotations

import pytest

from corefixture import CoreFixture
from strongroom.sdk.errors import InvalidRequest, NotFound, RateLimited
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


def _read(cf: CoreFixture, path: str, client: str = "127.0.0.1") -> Response:
    return cf.core.handle(Request(Operation.READ, path, {}, client_token=cf.root, remote_addr=client))


def _quota(cf: CoreFixture, name: str, **fields: object) -> None:
    cf.write(f"sys/quotas/rate-limit/{name}", body=fields)


def _allowed(cf: CoreFixture, path: str, times: int, client: str = "127.0.0.1") -> int:
    count = 0
    for _ in range(times):
        try:
            _read(cf, path, client)
            count += 1
        except RateLimited:
            pass
    return count


@pytest.fixture
def kv(cf: CoreFixture) -> CoreFixture:
    cf.write("sys/mounts/kv1", type="kv", options={"version": "1"})
    cf.write("kv1/app/ttl", value="x")
    cf.write("kv1/app/other", value="y")
    cf.write("kv1/db/pw", value="z")
    return cf


def test_crud_and_list(kv: CoreFixture) -> None:
    with pytest.raises(NotFound):
        kv.call(Operation.LIST, "sys/quotas/rate-limit/")
    _quota(kv, "q1", path="kv1/", rate=2, interval="10s", block_interval="1m")
    assert kv.read("sys/quotas/rate-limit/q1").data == {
        "name": "q1", "path": "kv1/", "type": "rate-limit", "rate": 2.0, "interval": 10, "block_interval": 60,
        "role": "", "inheritable": False}
    _quota(kv, "q1", rate=3)  # an update keeps the other fields
    assert kv.read("sys/quotas/rate-limit/q1").data["interval"] == 10  # type: ignore[index]
    assert kv.call(Operation.LIST, "sys/quotas/rate-limit/").data == {"keys": ["q1"]}
    kv.call(Operation.DELETE, "sys/quotas/rate-limit/q1")
    with pytest.raises(NotFound):
        kv.read("sys/quotas/rate-limit/q1")


@pytest.mark.parametrize("fields", [{"rate": 0}, {"rate": -1}, {"rate": 1, "path": "nomount/"},
                                    {"rate": 1, "interval": "0s"}, {"rate": 1, "path": "kv1/", "role": "r"}])
def test_invalid_rules_are_refused(kv: CoreFixture, fields: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest):
        _quota(kv, "bad", **fields)


def test_same_place_twice_is_refused(kv: CoreFixture) -> None:
    _quota(kv, "a", path="kv1/app", rate=5)
    with pytest.raises(InvalidRequest, match='under the name "a"'):
        _quota(kv, "b", path="kv1/app/", rate=7)


def test_exceeding_answers_429_with_retry_after(kv: CoreFixture) -> None:
    _quota(kv, "q", path="kv1/", rate=2, interval="10s")
    _read(kv, "kv1/app/ttl")
    _read(kv, "kv1/app/ttl")
    with pytest.raises(RateLimited) as refused:
        _read(kv, "kv1/app/ttl")
    assert refused.value.message == 'request path "kv1/app/ttl": rate limit quota exceeded'
    assert refused.value.retry_after == 10
    kv.clock.advance(10)
    assert _allowed(kv, "kv1/app/ttl", 3) == 2


def test_most_specific_rule_wins(kv: CoreFixture) -> None:
    _quota(kv, "global", path="", rate=100)
    _quota(kv, "mount", path="kv1", rate=5)
    _quota(kv, "prefix", path="kv1/app/*", rate=3)
    _quota(kv, "exact", path="kv1/app/ttl", rate=1)
    assert _allowed(kv, "kv1/app/ttl", 4) == 1
    assert _allowed(kv, "kv1/app/other", 6) == 3
    assert _allowed(kv, "kv1/db/pw", 8) == 5
    assert _allowed(kv, "sys/mounts", 8) == 8  # the global rule, far from its limit


def test_windows_are_per_client_address(kv: CoreFixture) -> None:
    _quota(kv, "q", path="kv1/", rate=2)
    assert _allowed(kv, "kv1/app/ttl", 3, "10.0.0.1") == 2
    assert _allowed(kv, "kv1/app/ttl", 3, "10.0.0.2") == 2


def test_block_interval_refuses_until_it_ends(kv: CoreFixture) -> None:
    _quota(kv, "q", path="kv1/", rate=1, interval="1s", block_interval="30s")
    _read(kv, "kv1/app/ttl")
    with pytest.raises(RateLimited) as refused:
        _read(kv, "kv1/app/ttl")
    assert refused.value.retry_after == 30
    kv.clock.advance(5)  # the window has ended, the block has not
    with pytest.raises(RateLimited) as refused:
        _read(kv, "kv1/app/ttl")
    assert refused.value.retry_after == 25
    kv.clock.advance(25)
    _read(kv, "kv1/app/ttl")


def test_exempt_paths_and_config(kv: CoreFixture) -> None:
    assert "sys/health" in kv.read("sys/quotas/config").data["rate_limit_exempt_paths"]  # type: ignore[index]
    kv.write("sys/quotas/config", rate_limit_exempt_paths=["kv1/app/*", "sys/quotas/config"])
    _quota(kv, "global", path="", rate=1, interval="1m")
    assert _allowed(kv, "kv1/app/ttl", 5) == 5
    assert _allowed(kv, "kv1/db/pw", 3) == 1
    assert kv.read("sys/quotas/config").data == {  # exempt itself, so the operator is never locked out
        "enable_rate_limit_response_headers": False, "enable_rate_limit_audit_logging": False,
        "rate_limit_exempt_paths": ["kv1/app/*", "sys/quotas/config"]}


def test_response_headers_when_enabled(kv: CoreFixture) -> None:
    _quota(kv, "q", path="kv1/", rate=3, interval="1m")
    assert _read(kv, "kv1/app/ttl").headers is None
    kv.write("sys/quotas/config", enable_rate_limit_response_headers=True)
    assert _read(kv, "kv1/app/ttl").headers == {"X-Ratelimit-Limit": "3", "X-Ratelimit-Remaining": "1",
                                                 "X-Ratelimit-Reset": "60"}
    _read(kv, "kv1/app/ttl")
    with pytest.raises(RateLimited) as refused:
        _read(kv, "kv1/app/ttl")
    assert refused.value.headers["X-Ratelimit-Remaining"] == "0"


def test_no_rule_no_check(kv: CoreFixture) -> None:
    assert kv.core.quotas.active is False
    _quota(kv, "q", path="kv1/", rate=1)
    assert kv.core.quotas.active is True
    kv.call(Operation.DELETE, "sys/quotas/rate-limit/q")
    assert kv.core.quotas.active is False
    assert _allowed(kv, "kv1/app/ttl", 5) == 5


def test_role_rule_limits_that_roles_logins(cf: CoreFixture) -> None:
    cf.write("sys/auth/approle", type="approle")
    cf.write("auth/approle/role/web", bind_secret_id=False, secret_id_bound_cidrs=["127.0.0.0/8"])
    cf.write("auth/approle/role/db", bind_secret_id=False, secret_id_bound_cidrs=["127.0.0.0/8"])
    web = cf.read("auth/approle/role/web/role-id").data["role_id"]  # type: ignore[index]
    db = cf.read("auth/approle/role/db/role-id").data["role_id"]  # type: ignore[index]
    _quota(cf, "web", path="auth/approle", role="web", rate=1, interval="1m")

    def logins(role_id: str, times: int) -> int:
        count = 0
        for _ in range(times):
            try:
                cf.core.handle(Request(Operation.UPDATE, "auth/approle/login", {"role_id": role_id},
                                       remote_addr="127.0.0.1"))
                count += 1
            except RateLimited:
                pass
        return count

    assert logins(web, 3) == 1
    assert logins(db, 3) == 3


def test_refusals_are_audited_when_asked(kv: CoreFixture) -> None:
    _quota(kv, "q", path="kv1/", rate=1, interval="1m")
    kv.write("sys/quotas/config", enable_rate_limit_audit_logging=True)
    _read(kv, "kv1/app/ttl")
    seen: list[dict[str, object]] = []
    kv.core._audit_refusal = lambda request, mounted, token, exc: seen.append(  # type: ignore[method-assign]
        {"path": request.path, "error": exc.message})
    with pytest.raises(RateLimited):
        _read(kv, "kv1/app/ttl")
    assert seen == [{"path": "kv1/app/ttl", "error": 'request path "kv1/app/ttl": rate limit quota exceeded'}]


def test_disabling_a_mount_drops_its_rules(kv: CoreFixture) -> None:
    _quota(kv, "m", path="kv1/", rate=1)
    _quota(kv, "g", path="", rate=100)
    kv.call(Operation.DELETE, "sys/mounts/kv1")
    assert kv.call(Operation.LIST, "sys/quotas/rate-limit/").data == {"keys": ["g"]}
    kv.write("sys/mounts/kv1", type="kv", options={"version": "1"})
    kv.write("kv1/a", value="x")
    assert _allowed(kv, "kv1/a", 3) == 3
