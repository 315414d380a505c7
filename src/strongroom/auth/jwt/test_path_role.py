from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness

CALLBACK = "http://127.0.0.1:8250/oidc/callback"


def test_role_round_trip(jwt_mount: EngineHarness) -> None:
    jwt_mount.write("role/dev", role_type="jwt", user_claim="sub", bound_audiences="my-api",
                    bound_claims={"env": ["prod", "staging"]}, claim_mappings={"email": "email", "team": "team"},
                    groups_claim="groups", token_policies=["p1"], token_ttl="15m")
    data = jwt_mount.read("role/dev").data
    assert {k: data[k] for k in ("role_type", "user_claim", "bound_audiences", "bound_claims", "bound_claims_type",
                                 "claim_mappings", "groups_claim", "token_policies", "token_ttl",
                                 "clock_skew_leeway", "expiration_leeway", "allowed_redirect_uris",
                                 "callback_mode")} == {
        "role_type": "jwt", "user_claim": "sub", "bound_audiences": ["my-api"],
        "bound_claims": {"env": ["prod", "staging"]}, "bound_claims_type": "string",
        "claim_mappings": {"email": "email", "team": "team"}, "groups_claim": "groups", "token_policies": ["p1"],
        "token_ttl": 900, "clock_skew_leeway": 0, "expiration_leeway": 0, "allowed_redirect_uris": None,
        "callback_mode": "client",
    }


def test_update_changes_only_what_is_sent(jwt_mount: EngineHarness) -> None:
    jwt_mount.write("role/dev", role_type="jwt", user_claim="sub", bound_subject="x", token_policies=["p1"])
    jwt_mount.write("role/dev", token_ttl=60)
    data = jwt_mount.read("role/dev").data
    assert (data["bound_subject"], data["token_policies"], data["token_ttl"]) == ("x", ["p1"], 60)


def test_list_and_delete(jwt_mount: EngineHarness) -> None:
    with pytest.raises(NotFound):
        jwt_mount.list("role/")
    jwt_mount.write("role/b", role_type="jwt", user_claim="sub", bound_subject="x")
    jwt_mount.write("role/A", user_claim="sub", allowed_redirect_uris=[CALLBACK])
    assert jwt_mount.list("role/").data == {"keys": ["a", "b"]}
    jwt_mount.delete("role/b")
    with pytest.raises(NotFound):
        jwt_mount.read("role/b")


@pytest.mark.parametrize(("fields", "message"), [
    ({"role_type": "jwt", "bound_subject": "x"}, "a user claim must be defined"),
    ({"role_type": "jwt", "user_claim": "sub"}, "at least one bound constraint"),
    ({"user_claim": "sub"}, "'allowed_redirect_uris' must be set"),
    ({"role_type": "saml", "user_claim": "sub"}, "role_type"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "bound_claims_type": "regex"},
     "bound_claims_type"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "callback_mode": "direct"}, "callback_mode"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "claim_mappings": {"a": "x", "b": "x"}},
     "duplicate target"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "claim_mappings": {"a": "role"}},
     "reserved"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_claims": {"env": {"nested": 1}}}, "string or a list"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "expiration_leeway": -2}, "expiration_leeway"),
    ({"role_type": "jwt", "user_claim": "sub", "bound_subject": "x", "max_age": -5}, "max_age"),
])
def test_invalid_roles_are_refused(jwt_mount: EngineHarness, fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        jwt_mount.write("role/bad", **fields)
    with pytest.raises(NotFound):
        jwt_mount.read("role/bad")


def test_token_bound_cidrs_count_as_a_constraint(jwt_mount: EngineHarness) -> None:
    jwt_mount.write("role/net", role_type="jwt", user_claim="sub", token_bound_cidrs=["10.0.0.0/8"])
    assert jwt_mount.read("role/net").data["token_bound_cidrs"] == ["10.0.0.0/8"]
