"""Identity wired into the core, in process: entities at login, identity policies at request time, templates."""

from __future__ import annotations

import pytest

from corefixture import CoreFixture
from strongroom.sdk.errors import InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.request import Operation

from .helpers import approle_login, can, enable, policy, userpass_login

KV = "secret/data"


def test_identity_mount_is_built_in_and_cannot_be_removed(cf: CoreFixture) -> None:
    mounts = cf.read("sys/mounts").data
    assert mounts is not None and mounts["identity/"]["type"] == "identity"
    with pytest.raises(InvalidRequest):
        cf.call(Operation.DELETE, "sys/mounts/identity")
    with pytest.raises(NotFound):  # an empty list is a 404, as in Vault
        cf.call(Operation.LIST, "identity/entity/id/")


def test_login_creates_and_reuses_an_entity(cf: CoreFixture) -> None:
    accessor = enable(cf, "userpass", "userpass")
    first = userpass_login(cf, "alice")
    assert first["entity_id"]
    again = cf.write("auth/userpass/login/alice", token="", password="pw-alice").auth_out
    assert again is not None and again["entity_id"] == first["entity_id"]
    looked = cf.read("auth/token/lookup-self", token=first["client_token"]).data
    assert looked is not None and looked["entity_id"] == first["entity_id"]
    entity = cf.write("identity/lookup/entity", alias_name="alice", alias_mount_accessor=accessor).data
    assert entity is not None and entity["id"] == first["entity_id"]
    assert entity["aliases"][0]["mount_path"] == "auth/userpass/"
    # Child tokens carry the entity too.
    policy(cf, "creator", 'path "auth/token/create" { capabilities = ["update"] }')
    cf.write("auth/userpass/users/alice/policies", token_policies=["creator"])
    token = cf.write("auth/userpass/login/alice", token="", password="pw-alice").auth_out["client_token"]  # type: ignore[index]
    child = cf.write("auth/token/create", token=token, policies=["creator"]).auth_out
    assert child is not None and child["entity_id"] == first["entity_id"]


def test_entity_policies_apply_to_existing_tokens(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    policy(cf, "reader", f'path "{KV}/shared" {{ capabilities = ["read"] }}')
    cf.write(f"{KV}/shared", data={"k": "v"})
    auth = userpass_login(cf, "bob")
    token = auth["client_token"]
    assert "identity_policies" not in auth
    assert not can(cf, token, Operation.READ, f"{KV}/shared")
    cf.write(f"identity/entity/id/{auth['entity_id']}", policies=["reader"])
    assert can(cf, token, Operation.READ, f"{KV}/shared")
    looked = cf.read("auth/token/lookup-self", token=token).data
    assert looked is not None and looked["identity_policies"] == ["reader"] and looked["policies"] == ["default"]
    relogin = cf.write("auth/userpass/login/bob", token="", password="pw-bob").auth_out
    assert relogin is not None
    assert relogin["identity_policies"] == ["reader"] and relogin["policies"] == ["default", "reader"]
    assert relogin["token_policies"] == ["default"]
    caps = cf.write("sys/capabilities-self", token=token, paths=[f"{KV}/shared"]).data
    assert caps is not None and caps[f"{KV}/shared"] == ["read"]


def test_templated_policy_with_two_aliases_on_one_entity(cf: CoreFixture) -> None:
    up = enable(cf, "userpass", "userpass")
    ar = enable(cf, "approle", "approle")
    policy(cf, "per-alias", f'''
path "{KV}/up/{{{{identity.entity.aliases.{up}.name}}}}/*" {{ capabilities = ["create", "update", "read"] }}
path "{KV}/ar/{{{{identity.entity.aliases.{ar}.name}}}}/*" {{ capabilities = ["create", "update", "read"] }}
path "{KV}/team/{{{{identity.entity.metadata.team}}}}/*" {{ capabilities = ["read"] }}
''')
    up_auth = userpass_login(cf, "carol")
    entity_id = up_auth["entity_id"]
    ar_auth, role_id = approle_login(cf, "carol-bot")
    # Attach the approle alias to carol's entity by merging the approle login's entity into it.
    cf.write("identity/entity/merge", from_entity_ids=[ar_auth["entity_id"]], to_entity_id=entity_id)
    cf.write(f"identity/entity/id/{entity_id}", policies=["per-alias"], metadata={"team": "payments"})
    for token in (up_auth["client_token"], ar_auth["client_token"]):  # the merged-away id still resolves
        assert can(cf, token, Operation.UPDATE, f"{KV}/up/carol/x", data={"a": 1})
        assert can(cf, token, Operation.UPDATE, f"{KV}/ar/{role_id}/x", data={"a": 1})
        assert not can(cf, token, Operation.UPDATE, f"{KV}/up/{role_id}/x", data={"a": 1})
        assert not can(cf, token, Operation.UPDATE, f"{KV}/ar/carol/x", data={"a": 1})
        assert not can(cf, token, Operation.READ, f"{KV}/up/dave/x")
    cf.write(f"{KV}/team/payments/doc", data={"k": "v"})
    cf.write(f"{KV}/team/ops/doc", data={"k": "v"})
    token = up_auth["client_token"]
    assert can(cf, token, Operation.READ, f"{KV}/team/payments/doc")
    assert not can(cf, token, Operation.READ, f"{KV}/team/ops/doc")
    cf.write(f"identity/entity/id/{entity_id}", metadata={"team": "ops"})  # followed immediately
    assert can(cf, token, Operation.READ, f"{KV}/team/ops/doc")
    assert not can(cf, token, Operation.READ, f"{KV}/team/payments/doc")


def test_template_values_cannot_widen_a_path(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    up = enable(cf, "up2", "userpass")
    policy(cf, "own", f'path "{KV}/u/{{{{identity.entity.aliases.{up}.name}}}}" {{ capabilities = ["read"] }}')
    auth = userpass_login(cf, "eve", mount="up2")
    cf.write(f"identity/entity/id/{auth['entity_id']}", policies=["own"])
    cf.write(f"{KV}/u/eve", data={"k": "v"})
    assert can(cf, auth["client_token"], Operation.READ, f"{KV}/u/eve")
    # A token without an entity: the templated rule resolves to nothing.
    plain = cf.token(policies=["own"])
    assert not can(cf, plain, Operation.READ, f"{KV}/u/eve")


def test_disabled_entity_is_refused(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    auth = userpass_login(cf, "dan")
    token = auth["client_token"]
    assert can(cf, token, Operation.READ, "auth/token/lookup-self")
    cf.write(f"identity/entity/id/{auth['entity_id']}", disabled=True)
    with pytest.raises(PermissionDenied):
        cf.read("auth/token/lookup-self", token=token)
    with pytest.raises(PermissionDenied):
        cf.write("auth/userpass/login/dan", token="", password="pw-dan")
    cf.write(f"identity/entity/id/{auth['entity_id']}", disabled=False)
    assert can(cf, token, Operation.READ, "auth/token/lookup-self")


def test_group_policies_direct_nested_and_removed(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    policy(cf, "dev", f'path "{KV}/dev" {{ capabilities = ["read"] }}')
    policy(cf, "ops", f'path "{KV}/ops" {{ capabilities = ["read"] }}')
    cf.write(f"{KV}/dev", data={"k": "v"})
    cf.write(f"{KV}/ops", data={"k": "v"})
    auth = userpass_login(cf, "erin")
    token, entity_id = auth["client_token"], auth["entity_id"]
    eng = cf.write("identity/group", name="eng", policies=["dev"], member_entity_ids=[entity_id]).data["id"]  # type: ignore[index]
    cf.write("identity/group", name="all", policies=["ops"], member_group_ids=[eng])
    assert can(cf, token, Operation.READ, f"{KV}/dev") and can(cf, token, Operation.READ, f"{KV}/ops")
    assert cf.read("auth/token/lookup-self", token=token).data["identity_policies"] == ["dev", "ops"]  # type: ignore[index]
    entity = cf.read(f"identity/entity/id/{entity_id}").data
    assert entity is not None and entity["direct_group_ids"] == [eng] and len(entity["inherited_group_ids"]) == 1
    cf.write("identity/group/name/all", policies=[])
    assert not can(cf, token, Operation.READ, f"{KV}/ops")
    cf.write("identity/group/name/eng", member_entity_ids=[])
    assert not can(cf, token, Operation.READ, f"{KV}/dev")


@pytest.mark.parametrize("spelling", ["root", "ROOT", " root", "r\u043e\u043et", "ro\u200bot",
                                      "\uff52\uff4f\uff4f\uff54"])
def test_root_is_refused_through_identity(cf: CoreFixture, spelling: str) -> None:
    with pytest.raises(InvalidRequest, match="root"):
        cf.write("identity/entity", name="m", policies=[spelling])
    with pytest.raises(InvalidRequest, match="root"):
        cf.write("identity/group", name="g", policies=["x", spelling])


def test_deleted_entity_leaves_only_token_policies(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    policy(cf, "reader", f'path "{KV}/s" {{ capabilities = ["read"] }}')
    cf.write(f"{KV}/s", data={"k": "v"})
    auth = userpass_login(cf, "fay")
    cf.write(f"identity/entity/id/{auth['entity_id']}", policies=["reader"])
    assert can(cf, auth["client_token"], Operation.READ, f"{KV}/s")
    cf.call(Operation.DELETE, f"identity/entity/id/{auth['entity_id']}")
    assert not can(cf, auth["client_token"], Operation.READ, f"{KV}/s")
    assert can(cf, auth["client_token"], Operation.READ, "auth/token/lookup-self")


def test_default_policy_lets_a_token_read_its_own_entity_only(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    mine = userpass_login(cf, "gil")
    other = userpass_login(cf, "hal")
    token = mine["client_token"]
    entity = cf.read(f"identity/entity/id/{mine['entity_id']}", token=token).data
    assert entity is not None and entity["id"] == mine["entity_id"]
    assert can(cf, token, Operation.READ, f"identity/entity/name/{entity['name']}")
    assert not can(cf, token, Operation.READ, f"identity/entity/id/{other['entity_id']}")
    assert not can(cf, token, Operation.LIST, "identity/entity/id/")


def test_renewal_reports_identity_policies(cf: CoreFixture) -> None:
    enable(cf, "userpass", "userpass")
    auth = userpass_login(cf, "ida")
    cf.write(f"identity/entity/id/{auth['entity_id']}", policies=["extra"])
    renewed = cf.write("auth/token/renew-self", token=auth["client_token"]).auth_out
    assert renewed is not None and renewed["identity_policies"] == ["extra"]
    assert renewed["policies"] == ["default", "extra"]
