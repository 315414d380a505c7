"""External groups in process: the auth method vouches for group names (JWT groups claim, GitHub teams) and
identity turns them into memberships of the external groups aliased on that mount."""

from __future__ import annotations

from typing import Any

from auth_github.conftest import FakeGitHub, team
from corefixture import CoreFixture
from strongroom.crypto.jose import SigningKey
from strongroom.sdk.request import Operation

from .helpers import can, enable, policy

KV = "secret/data"
ISSUER = "https://issuer.example.test"


def _external_group(cf: CoreFixture, name: str, policies: list[str], accessor: str, alias: str) -> str:
    gid = str(cf.write("identity/group", name=name, type="external", policies=policies).data["id"])  # type: ignore[index]
    cf.write("identity/group-alias", name=alias, mount_accessor=accessor, canonical_id=gid)
    return gid


def _jwt_login(cf: CoreFixture, key: SigningKey, sub: str, groups: Any) -> dict[str, Any]:
    now = int(cf.clock.now())
    claims = {"iss": ISSUER, "sub": sub, "aud": "vault", "iat": now, "nbf": now, "exp": now + 300, "groups": groups}
    auth = cf.write("auth/jwt/login", token="", role="ci", jwt=key.sign(claims)).auth_out
    assert auth is not None
    return dict(auth)


def test_jwt_groups_claim_maps_to_external_groups(cf: CoreFixture) -> None:
    key = SigningKey.generate("ES256", "k1")
    accessor = enable(cf, "jwt", "jwt")
    cf.write("auth/jwt/config", jwt_validation_pubkeys=[key.public_pem()], bound_issuer=ISSUER)
    cf.write("auth/jwt/role/ci", role_type="jwt", user_claim="sub", bound_audiences=["vault"],
             groups_claim="groups", token_policies=["p1"])
    policy(cf, "dev", f'path "{KV}/dev" {{ capabilities = ["read"] }}')
    cf.write(f"{KV}/dev", data={"k": "v"})
    gid = _external_group(cf, "admins", ["dev"], accessor, "admins")
    _external_group(cf, "others", ["other"], accessor, "others")
    auth = _jwt_login(cf, key, "svc-1", ["admins", "unmapped"])
    assert auth["identity_policies"] == ["dev"]
    assert auth["policies"] == ["default", "dev", "p1"] and auth["token_policies"] == ["default", "p1"]
    assert can(cf, auth["client_token"], Operation.READ, f"{KV}/dev")
    group = cf.read(f"identity/group/id/{gid}").data
    assert group is not None and group["member_entity_ids"] == [auth["entity_id"]]
    # The next login without the group takes the membership away, from the old token too.
    later = _jwt_login(cf, key, "svc-1", "others")
    assert later["entity_id"] == auth["entity_id"] and later["identity_policies"] == ["other"]
    assert not can(cf, auth["client_token"], Operation.READ, f"{KV}/dev")


def test_github_teams_map_to_external_groups(gh_core: CoreFixture, github: FakeGitHub) -> None:
    cf = gh_core
    github.orgs = {"acme": 100}
    github.users["ghp_octo"] = {"login": "octocat", "orgs": [{"login": "acme", "id": 100}],
                                "teams": [team("Octo Team", "octo-team", 100), team("Other", "other", 200)]}
    accessor = enable(cf, "github", "github")
    cf.write("auth/github/config", organization="acme", base_url=github.base_url)
    policy(cf, "p2", f'path "{KV}/gh" {{ capabilities = ["read"] }}')
    cf.write(f"{KV}/gh", data={"k": "v"})
    gid = _external_group(cf, "gh-team", ["p2"], accessor, "octo-team")
    _external_group(cf, "not-in-org", ["nope"], accessor, "other")
    auth = cf.write("auth/github/login", token="", body={"token": "ghp_octo"}).auth_out
    assert auth is not None and auth["identity_policies"] == ["p2"]
    assert can(cf, auth["client_token"], Operation.READ, f"{KV}/gh")
    entity = cf.write("identity/lookup/entity", alias_name="octocat", alias_mount_accessor=accessor).data
    assert entity is not None and entity["direct_group_ids"] == [gid]
