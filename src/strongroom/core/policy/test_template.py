"""Identity templates in policy paths: resolved per entity, dropped when a value is missing or unsafe."""

from __future__ import annotations

import pytest

from strongroom.core.policy.parser import parse_policy
from strongroom.core.policy.store import PolicyStore
from strongroom.core.policy.template import resolve
from strongroom.sdk.storage import InMemoryStorage

TEXT = """
path "secret/data/users/{{identity.entity.aliases.auth_userpass_1.name}}/*" { capabilities = ["read"] }
path "secret/data/team/{{ identity.entity.metadata.team }}" { capabilities = ["update"] }
path "secret/data/shared" { capabilities = ["list"] }
"""

VALUES = {"identity.entity.aliases.auth_userpass_1.name": "carol", "identity.entity.metadata.team": "pay"}


def test_placeholders_are_filled() -> None:
    policy = resolve(parse_policy("t", TEXT), VALUES)
    assert [r.path for r in policy.rules] == ["secret/data/users/carol/*", "secret/data/team/pay",
                                              "secret/data/shared"]
    assert not policy.templated


def test_rules_with_missing_values_are_dropped() -> None:
    policy = resolve(parse_policy("t", TEXT), {"identity.entity.metadata.team": "pay"})
    assert [r.path for r in policy.rules] == ["secret/data/team/pay", "secret/data/shared"]


@pytest.mark.parametrize("value", ["", ".", "..", "+", "*", "a/b", "bob/*", "x{{y}}", "a*"])
def test_values_that_could_widen_a_pattern_drop_the_rule(value: str) -> None:
    values = {**VALUES, "identity.entity.aliases.auth_userpass_1.name": value}
    policy = resolve(parse_policy("t", TEXT), values)
    assert [r.path for r in policy.rules] == ["secret/data/team/pay", "secret/data/shared"]


def test_untemplated_policy_is_returned_as_is() -> None:
    policy = parse_policy("plain", 'path "a/*" { capabilities = ["read"] }')
    assert resolve(policy, VALUES) is policy


def test_store_builds_an_acl_per_entity_and_shares_plain_ones() -> None:
    store = PolicyStore(InMemoryStorage())
    store.put("tmpl", TEXT)
    store.put("plain", 'path "kv/*" { capabilities = ["read"] }')
    carol = store.acl_for(["tmpl"], VALUES)
    bob = store.acl_for(["tmpl"], {**VALUES, "identity.entity.aliases.auth_userpass_1.name": "bob"})
    assert carol.check("secret/data/users/carol/x", "read").allowed
    assert not carol.check("secret/data/users/bob/x", "read").allowed
    assert bob.check("secret/data/users/bob/x", "read").allowed
    assert not store.acl_for(["tmpl"]).check("secret/data/users/carol/x", "read").allowed
    assert store.acl_for(["plain"], VALUES) is store.acl_for(["plain"])
    assert store.acl_for(["tmpl"], VALUES) is carol
    store.put("tmpl", 'path "secret/data/users/{{identity.entity.id}}" { capabilities = ["read"] }')
    fresh = store.acl_for(["tmpl"], {**VALUES, "identity.entity.id": "e1"})
    assert fresh.check("secret/data/users/e1", "read").allowed
    assert not fresh.check("secret/data/users/carol/x", "read").allowed
