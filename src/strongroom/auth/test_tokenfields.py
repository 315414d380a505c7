from __future__ import annotations

import pytest

from strongroom.auth.tokenfields import (
    TokenFieldArgs,
    TokenParams,
    apply_token_fields,
    format_network,
    is_subset,
    parse_cidrs,
    remote_addr_allowed,
)
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("127.0.0.1/32", "127.0.0.1"), ("10.0.0.0/8", "10.0.0.0/8"), ("10.1.2.3/8", "10.1.2.3/8"),
     ("::1/128", "::1"), ("fd00::/8", "fd00::/8"), (" 192.168.0.1 ", "192.168.0.1")],
)
def test_cidrs_print_like_vaults_sockaddr(raw: str, shown: str) -> None:
    [network] = parse_cidrs([raw], "f")
    assert format_network(network) == shown


@pytest.mark.parametrize(
    ("remote", "allowed"),
    [("10.1.2.3", True), ("10.1.2.3:8200", True), ("[fd00::1]:8200", True), ("fd00::1", True),
     ("11.0.0.1", False), ("", False), ("garbage", False), ("fe80::1", False)],
)
def test_remote_addresses(remote: str, allowed: bool) -> None:
    assert remote_addr_allowed(remote, ["10.0.0.0/8", "fd00::/8"]) is allowed


def test_subsets() -> None:
    assert is_subset(["10.1.0.0/16", "10.2.3.4"], ["10.0.0.0/8"])
    assert is_subset(["10.0.0.0/8"], [])
    assert not is_subset(["10.0.0.0/7"], ["10.0.0.0/8"])
    assert not is_subset(["::1"], ["10.0.0.0/8"])


def test_only_sent_fields_change() -> None:
    base, _ = apply_token_fields(TokenParams(), TokenFieldArgs(token_ttl=60, token_policies=["a", " a", "b", ""]))
    assert (base.ttl, base.policies) == (60, ("a", "b"))
    updated, warnings = apply_token_fields(base, TokenFieldArgs(token_num_uses=2, token_strictly_bind_ip=True))
    assert (updated.ttl, updated.policies, updated.num_uses, warnings) == (60, ("a", "b"), 2, [])
    assert updated.to_data()["token_strictly_bind_ip"] is True


@pytest.mark.parametrize(
    "args",
    [TokenFieldArgs(token_ttl=-1), TokenFieldArgs(token_type="nope"), TokenFieldArgs(token_max_ttl=10, token_ttl=20),
     TokenFieldArgs(token_type="batch", token_num_uses=1), TokenFieldArgs(token_bound_cidrs=["x"])],
)
def test_rejected_values(args: TokenFieldArgs) -> None:
    with pytest.raises(InvalidRequest):
        apply_token_fields(TokenParams(), args)


def test_json_round_trip() -> None:
    params, _ = apply_token_fields(
        TokenParams(), TokenFieldArgs(policies=["B"], token_bound_cidrs=["10.0.0.0/8"], token_period=5)
    )
    assert TokenParams.from_json(params.to_json()) == params
    assert params.to_data()["policies"] == ["b"]


def test_grant_maps_default_type_to_service() -> None:
    grant = TokenParams().grant(display_name="d", alias_name="a", metadata={"k": "v"})
    assert (grant.token_type, grant.renewable, grant.metadata) == ("service", True, {"k": "v"})
