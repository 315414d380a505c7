"""No login mints a root token, whatever the auth method was told (CVE-2025-5999 class: an operator with write
access to an auth method's users, roles or team map naming `root` in some spelling). Vault refuses the login with
"auth methods cannot create root tokens"; the refused login leaves no token and no entity behind."""

from __future__ import annotations

import pytest

from auth_github.conftest import FakeGitHub, team
from corefixture import CoreFixture
from strongroom.crypto.jose import SigningKey
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.request import Operation

from .helpers import enable

SPELLINGS = ["root", "ROOT", " Root", "root\u200b", "\uff52\uff4f\uff4f\uff54", "r\u043e\u043et"]
REFUSED = "auth methods cannot create root tokens"


def _tokens(cf: CoreFixture) -> int:
    return len(cf.core.physical.list("sys/token/id/"))  # type: ignore[attr-defined]


def _no_entities(cf: CoreFixture) -> bool:
    try:
        cf.call(Operation.LIST, "identity/entity/id/")
    except NotFound:
        return True
    return False


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_userpass_and_approle_cannot_hand_out_root(cf: CoreFixture, spelling: str) -> None:
    enable(cf, "userpass", "userpass")
    enable(cf, "approle", "approle")
    cf.write("auth/userpass/users/mallory", password="pw-mallory", token_policies=["dev", spelling])
    cf.write("auth/approle/role/ci", token_policies=[spelling])
    role_id = cf.read("auth/approle/role/ci/role-id").data["role_id"]  # type: ignore[index]
    secret_id = cf.write("auth/approle/role/ci/secret-id").data["secret_id"]  # type: ignore[index]
    before = _tokens(cf)
    with pytest.raises(InvalidRequest, match=REFUSED):
        cf.write("auth/userpass/login/mallory", token="", password="pw-mallory")
    with pytest.raises(InvalidRequest, match=REFUSED):
        cf.write("auth/approle/login", token="", role_id=role_id, secret_id=secret_id)
    assert _tokens(cf) == before and _no_entities(cf)
    # The same user without root logs in as usual: the refusal is about root only.
    cf.write("auth/userpass/users/mallory/policies", token_policies=["dev", "rooted"])
    auth = cf.write("auth/userpass/login/mallory", token="", password="pw-mallory").auth_out
    assert auth is not None and auth["token_policies"] == ["default", "dev", "rooted"]


def test_a_jwt_role_cannot_hand_out_root(cf: CoreFixture) -> None:
    key = SigningKey.generate("ES256", "k1")
    issuer = "https://issuer.example.test"
    enable(cf, "jwt", "jwt")
    cf.write("auth/jwt/config", jwt_validation_pubkeys=[key.public_pem()], bound_issuer=issuer)
    cf.write("auth/jwt/role/ci", role_type="jwt", user_claim="sub", bound_audiences=["vault"],
             token_policies=["ROOT"])
    now = int(cf.clock.now())
    jwt = key.sign({"iss": issuer, "sub": "svc", "aud": "vault", "iat": now, "exp": now + 300})
    before = _tokens(cf)
    with pytest.raises(InvalidRequest, match=REFUSED):
        cf.write("auth/jwt/login", token="", role="ci", jwt=jwt)
    assert _tokens(cf) == before and _no_entities(cf)


def test_a_github_team_map_cannot_hand_out_root(gh_core: CoreFixture, github: FakeGitHub) -> None:
    cf = gh_core
    github.orgs = {"acme": 100}
    github.users["ghp_octo"] = {"login": "octocat", "orgs": [{"login": "acme", "id": 100}],
                                "teams": [team("Ops", "ops", 100)]}
    enable(cf, "github", "github")
    cf.write("auth/github/config", organization="acme", base_url=github.base_url)
    cf.write("auth/github/map/teams/ops", value="dev, Root")
    before = _tokens(cf)
    with pytest.raises(InvalidRequest, match=REFUSED):
        cf.write("auth/github/login", token="", body={"token": "ghp_octo"})
    cf.write("auth/github/map/teams/ops", value="dev")
    cf.write("auth/github/map/users/octocat", value=" root")
    with pytest.raises(InvalidRequest, match=REFUSED):
        cf.write("auth/github/login", token="", body={"token": "ghp_octo"})
    assert _tokens(cf) == before and _no_entities(cf)
