from __future__ import annotations

import base64
import json

import pytest

from strongroom.auth.approle.conftest import issue, make_role
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.storage import list_recursive


def test_issue_returns_vaults_shape_with_the_roles_limits(approle: EngineHarness) -> None:
    make_role(approle, secret_id_ttl="10m", secret_id_num_uses=2)
    data = issue(approle, metadata='{"host":"web1"}')
    assert set(data) == {"secret_id", "secret_id_accessor", "secret_id_num_uses", "secret_id_ttl"}
    assert (data["secret_id_num_uses"], data["secret_id_ttl"]) == (2, 600)
    assert data["secret_id"] != data["secret_id_accessor"]


def test_secret_ids_are_stored_only_as_keyed_hashes(approle: EngineHarness) -> None:
    make_role(approle)
    secret = issue(approle)["secret_id"]
    custom = "my-custom-Canary-sid"
    approle.write("role/app/custom-secret-id", secret_id=custom)
    keys = list_recursive(approle.storage)
    blob = b"".join(approle.storage.get(k) or b"" for k in keys) + "".join(keys).encode()
    for credential in (secret, custom):
        assert credential.encode() not in blob


def test_overrides_within_the_roles_limits(approle: EngineHarness) -> None:
    make_role(approle, secret_id_ttl="10m", secret_id_num_uses=5)
    data = issue(approle, ttl="5m", num_uses=1)
    assert (data["secret_id_ttl"], data["secret_id_num_uses"]) == (300, 1)
    for fields in ({"ttl": "20m"}, {"ttl": 0}):
        with pytest.raises(InvalidRequest, match="ttl cannot be longer"):
            issue(approle, **fields)
    for fields in ({"num_uses": 6}, {"num_uses": 0}):
        with pytest.raises(InvalidRequest, match="num_uses cannot be higher"):
            issue(approle, **fields)
    with pytest.raises(InvalidRequest, match="negative"):
        issue(approle, num_uses=-1)


def test_ttl_is_capped_at_the_mount_maximum(approle: EngineHarness) -> None:
    make_role(approle)
    assert issue(approle, ttl=10**9)["secret_id_ttl"] == approle.env.system.max_lease_ttl()
    assert issue(approle)["secret_id_ttl"] == 0


def test_metadata_in_every_accepted_form(approle: EngineHarness) -> None:
    make_role(approle)
    encoded = base64.b64encode(json.dumps({"host": "web2"}).encode()).decode()
    for metadata, expected in (
        ('{"host":"web1"}', {"host": "web1"}),
        ({"host": "web3"}, {"host": "web3"}),
        (encoded, {"host": "web2"}),
        ("a=1,b=2", {"a": "1", "b": "2"}),
        ("", {}),
    ):
        secret = issue(approle, metadata=metadata)["secret_id"]
        assert approle.write("role/app/secret-id/lookup", secret_id=secret).data["metadata"] == expected  # type: ignore[index]
    for bad in ('{"n": 1}', "no-equals-sign", 42):
        with pytest.raises(InvalidRequest, match="failed to parse metadata"):
            issue(approle, metadata=bad)


def test_custom_secret_id(approle: EngineHarness) -> None:
    role_id = make_role(approle)
    data = approle.write("role/app/custom-secret-id", secret_id="my-custom-sid").data
    assert data is not None and data["secret_id"] == "my-custom-sid"
    assert approle.write("login", role_id=role_id, secret_id="my-custom-sid").auth is not None
    with pytest.raises(InvalidRequest, match="already registered"):
        approle.write("role/app/custom-secret-id", secret_id="my-custom-sid")
    with pytest.raises(InvalidRequest, match="missing secret_id"):
        approle.write("role/app/custom-secret-id")
    with pytest.raises(InvalidRequest, match="longer than"):
        approle.write("role/app/custom-secret-id", secret_id="x" * 4097)


def test_issue_failures(approle: EngineHarness) -> None:
    with pytest.raises(NotFound):
        issue(approle, "nope")
    make_role(approle, bind_secret_id=False, secret_id_bound_cidrs="10.0.0.0/8")
    with pytest.raises(InvalidRequest, match="bind_secret_id is not set"):
        issue(approle)


def test_cidrs_must_be_within_the_roles(approle: EngineHarness) -> None:
    make_role(approle, secret_id_bound_cidrs="10.0.0.0/8", token_bound_cidrs="192.168.0.0/16")
    secret = issue(approle, cidr_list="10.1.0.0/16", token_bound_cidrs="192.168.1.0/24")["secret_id"]
    looked_up = approle.write("role/app/secret-id/lookup", secret_id=secret).data
    assert looked_up is not None
    assert (looked_up["cidr_list"], looked_up["token_bound_cidrs"]) == (["10.1.0.0/16"], ["192.168.1.0/24"])
    with pytest.raises(InvalidRequest, match="cidr_list must be a subset"):
        issue(approle, cidr_list="11.0.0.0/8")
    with pytest.raises(InvalidRequest, match="token_bound_cidrs must be a subset"):
        issue(approle, token_bound_cidrs="10.0.0.0/8")
    with pytest.raises(InvalidRequest, match="cidr_list"):
        issue(approle, cidr_list="not-a-cidr")


def test_list_gives_accessors_not_secret_ids(approle: EngineHarness) -> None:
    make_role(approle)
    with pytest.raises(NotFound):
        approle.list("role/app/secret-id")
    issued = [issue(approle) for _ in range(3)]
    listed = approle.list("role/app/secret-id/").data
    assert listed == {"keys": sorted(d["secret_id_accessor"] for d in issued)}
    assert not {d["secret_id"] for d in issued} & set(listed["keys"])
    with pytest.raises(InvalidRequest, match="does not exist"):
        approle.list("role/nope/secret-id")
