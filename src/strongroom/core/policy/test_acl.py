from __future__ import annotations

import time
from typing import Any

import pytest

from strongroom.core.policy import (
    ACL,
    DEFAULT_POLICY_TEXT,
    AclDecision,
    Policy,
    check_parameters,
    check_wrapping,
    ordered,
    parse_policy,
)
from strongroom.sdk.request import Operation


def acl(*texts: str) -> ACL:
    return ACL.from_policies([parse_policy(f"p{i}", text) for i, text in enumerate(texts)])


def caps(*capabilities: str) -> str:
    return "[" + ", ".join(f'"{c}"' for c in capabilities) + "]"


def block(path: str, *capabilities: str, extra: str = "") -> str:
    return f'path "{path}" {{\n capabilities = {caps(*capabilities)}\n{extra}\n}}\n'


# The OpenBao 2.7.2 capture from the reference (section 5): two policies, then sys/capabilities answers.
CAPTURED_A = (
    block("kv1/+/x", "read")
    + block("kv1/a/*", "list")
    + block("kv1/b/*", "create")
    + block("kv1/b/c*", "delete")
    + block("kv1/c/+/d", "read")
    + block("kv1/c/+/+", "update")
    + block("kv1/e*", "read")
    + block("kv1/e/+", "update")
    + block("secret/*", "deny")
    + block("secret/data/foo", "read")
    + block("kv1/a/x", "update")
)
CAPTURED_B = block("kv1/b/*", "read") + block("secret/data/foo", "update") + block("kv1/a/x", "deny")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("kv1/z/x", {"read"}),
        ("kv1/a/y", {"list"}),
        ("kv1/b/q", {"create", "read"}),
        ("kv1/b/cat", {"delete"}),
        ("kv1/c/1/d", {"read"}),
        ("kv1/c/1/e", {"update"}),
        ("kv1/e/f", {"update"}),
        ("kv1/ef", {"read"}),
        ("kv1/e/f/g", {"read"}),
        ("secret/data/foo", {"read", "update"}),  # a more specific non-deny beats a broader deny
        ("secret/data/bar", {"deny"}),
        ("kv1/a/x", {"deny"}),  # deny wins when the same pattern merges
        ("nothing/here", {"deny"}),
    ],
)
def test_captured_openbao_capabilities(path: str, expected: set[str]) -> None:
    assert acl(CAPTURED_A, CAPTURED_B).capabilities(path) == expected


# ---- Vault documentation examples --------------------------------------------------------------------


def test_docs_exact_beats_glob() -> None:
    rules = acl(block("secret/foo", "read"), block("secret/foo*", "update"))
    assert rules.capabilities("secret/foo") == {"read"}
    assert rules.capabilities("secret/food") == {"update"}
    assert rules.capabilities("secret/foo/bar") == {"update"}


def test_docs_explicit_deny_on_exact_path_under_broad_glob() -> None:
    rules = acl(block("secret/*", "create", "read", "update", "delete", "list") + block("secret/super-secret", "deny"))
    assert rules.capabilities("secret/super-secret") == {"deny"}
    assert not rules.check("secret/super-secret", "read").allowed
    assert rules.check("secret/other", "read").allowed


def test_docs_plus_matches_exactly_one_segment() -> None:
    rules = acl(block("secret/+/teamb", "read"))
    assert rules.check("secret/foo/teamb", "read").allowed
    assert rules.check("secret/bar/teamb", "read").allowed
    assert not rules.check("secret/foo/bar/teamb", "read").allowed
    assert not rules.check("secret/teamb", "read").allowed


def test_docs_plus_and_trailing_glob_together() -> None:
    rules = acl(block("secret/+/+/teamb*", "read"))
    assert rules.check("secret/a/b/teamb", "read").allowed
    assert rules.check("secret/a/b/teambc/d", "read").allowed
    assert not rules.check("secret/a/teamb", "read").allowed


def test_docs_priority_glob_vs_plus_glob() -> None:
    # Same first wildcard position, both end in '*': fewer '+' segments wins.
    rules = acl(block("secret/*", "read") + block("secret/+/*", "update"))
    assert rules.capabilities("secret/a/b") == {"read"}


def test_priority_later_first_wildcard_wins() -> None:
    rules = acl(block("secret/+/x/y", "read") + block("secret/a/+/y", "update"))
    assert rules.capabilities("secret/a/x/y") == {"update"}


def test_priority_non_prefix_beats_prefix_at_same_position() -> None:
    rules = acl(block("foo/+/bar", "read") + block("foo/+/ba*", "update"))
    assert rules.capabilities("foo/x/bar") == {"read"}
    assert rules.capabilities("foo/x/baz") == {"update"}
    rules = acl(block("foo/+", "read") + block("foo/*", "update"))
    assert rules.capabilities("foo/x") == {"read"}
    assert rules.capabilities("foo/x/y") == {"update"}


def test_priority_longer_wins_then_lexicographic() -> None:
    rules = acl(block("foo/+/bar/b*", "read") + block("foo/+/bar/ba*", "update"))
    assert rules.capabilities("foo/x/bar/baz") == {"update"}
    rules = acl(block("a/+/b", "read") + block("+/x/b", "update"))
    assert rules.capabilities("a/x/b") == {"read"}  # first '+' later in "a/+/b"


def test_longest_prefix_glob_wins() -> None:
    rules = acl(block("*", "read") + block("a/*", "list") + block("a/b/*", "delete"))
    assert rules.capabilities("z") == {"read"}
    assert rules.capabilities("a/x") == {"list"}
    assert rules.capabilities("a/b/c/d") == {"delete"}


def test_star_is_literal_unless_trailing() -> None:
    rules = acl(block("a/*/b", "read"))
    assert rules.check("a/*/b", "read").allowed
    assert not rules.check("a/x/b", "read").allowed


def test_plus_matches_an_empty_segment() -> None:
    assert acl(block("a/+/b", "read")).check("a//b", "read").allowed


def test_plus_inside_a_segment_is_literal() -> None:
    rules = acl(block("a/b+c", "read") + block("a/+x", "update"))
    assert rules.capabilities("a/b+c") == {"read"}
    assert rules.capabilities("a/bxc") == {"deny"}
    assert rules.capabilities("a/+x") == {"update"}
    assert rules.capabilities("a/yx") == {"deny"}


def test_leading_slashes_are_ignored() -> None:
    assert acl(block("/a/b", "read")).check("//a/b", "read").allowed


# ---- merging ------------------------------------------------------------------------------------------


def test_same_pattern_merges_capabilities_and_granting_policies() -> None:
    rules = ACL.from_policies(
        [parse_policy("one", block("kv/x", "read")), parse_policy("two", block("kv/x", "read", "update"))]
    )
    assert rules.capabilities("kv/x") == {"read", "update"}
    assert rules.check("kv/x", "read").granting_policies == ("one", "two")
    assert rules.check("kv/x", "update").granting_policies == ("two",)
    assert rules.check("kv/x", "delete").granting_policies == ()


@pytest.mark.parametrize("deny_first", [True, False])
def test_deny_wins_merge_in_either_order(deny_first: bool) -> None:
    allow, deny = block("kv/*", "read", "list", "sudo"), block("kv/*", "deny")
    rules = acl(deny, allow) if deny_first else acl(allow, deny)
    assert rules.capabilities("kv/x") == {"deny"}
    for operation in ("create", "read", "update", "patch", "delete", "list"):
        decision = rules.check("kv/x", operation)
        assert not decision.allowed
        assert not decision.sudo


def test_deny_in_same_policy_twice_blocks() -> None:
    assert acl(block("kv/x", "read") + block("kv/x", "deny")).capabilities("kv/x") == {"deny"}


def test_different_patterns_never_combine() -> None:
    rules = acl(block("kv/*", "read"), block("kv/a*", "list"))
    assert rules.capabilities("kv/ab") == {"list"}


def test_exact_and_prefix_of_same_text_are_different_patterns() -> None:
    rules = acl(block("kv/a", "read"), block("kv/a*", "deny"))
    assert rules.capabilities("kv/a") == {"read"}
    assert rules.capabilities("kv/ab") == {"deny"}


def test_templated_rules_are_skipped() -> None:
    rules = acl(block("identity/entity/id/{{identity.entity.id}}", "read"))
    assert rules.capabilities("identity/entity/id/{{identity.entity.id}}") == {"deny"}


def test_empty_capabilities_report_deny() -> None:
    assert acl('path "a" {}').capabilities("a") == {"deny"}


# ---- LIST ---------------------------------------------------------------------------------------------


def test_list_falls_back_to_exact_rule_without_slash() -> None:
    rules = acl(block("kv1/app", "list"))
    assert rules.check("kv1/app/", "list").allowed
    assert not rules.check("kv1/app/", "read").allowed


def test_list_glob_without_trailing_slash_matches() -> None:  # hashicorp/vault PR #23874
    rules = acl(block("+/sys/policies/acl", "list"))
    assert rules.check("ns/sys/policies/acl/", "list").allowed
    assert acl(block("+/sys/policies/acl/", "list")).check("ns/sys/policies/acl/", "list").allowed


def test_list_with_and_without_trailing_slash_on_prefix_glob() -> None:
    rules = acl(block("secret/metadata/*", "list"))
    assert rules.check("secret/metadata/", "list").allowed
    assert rules.check("secret/metadata/app/", "list").allowed
    assert not rules.check("secret/metadata", "list").allowed


@pytest.mark.parametrize("path", ["secrets/metadata/restricted/", "secrets/metadata/restricted/app/"])
def test_deny_on_child_glob_blocks_broader_list(path: str) -> None:  # GHSA-xp3c-3jw3-4vcr
    rules = acl(block("secrets/metadata/*", "list") + block("secrets/metadata/restricted/*", "deny"))
    assert not rules.check(path, "list").allowed
    assert rules.capabilities(path) == {"deny"}
    assert rules.check("secrets/metadata/open/", "list").allowed


def test_list_fallback_keeps_vault_order_when_nothing_denies() -> None:
    rules = acl(block("a/b*", "read") + block("a/b/*", "list"))
    assert rules.check("a/b/", "list").matched_pattern == "a/b*"


# ---- decisions ----------------------------------------------------------------------------------------


def test_check_requires_the_operations_own_capability() -> None:
    rules = acl(block("kv/x", "update"))
    assert rules.check("kv/x", "update").allowed
    assert not rules.check("kv/x", "patch").allowed  # update is not enough for PATCH
    assert not rules.check("kv/x", "create").allowed
    assert not acl(block("kv/x", "read")).check("kv/x/", "list").allowed  # read is not list


def test_sudo_flag_reports_the_matched_rule() -> None:
    rules = acl(block("sys/audit", "read", "sudo") + block("sys/rotate", "update"))
    assert rules.check("sys/audit", "read").sudo
    assert not rules.check("sys/rotate", "update").sudo
    assert rules.check("sys/audit", "delete").sudo  # sudo is a property of the rule, not of the operation


def test_decision_carries_constraints() -> None:
    rules = acl(
        block(
            "kv/p",
            "create",
            extra='allowed_parameters = { "a" = [] }\nrequired_parameters = ["a"]\nmax_wrapping_ttl = 300',
        )
    )
    decision = rules.check("kv/p", "create")
    assert decision.allowed
    assert decision.matched_pattern == "kv/p"
    assert decision.allowed_parameters == {"a": ()}
    assert decision.required_parameters == ("a",)
    assert decision.max_wrapping_ttl == 300


def test_check_accepts_the_sdk_operation_enum() -> None:
    decision = acl(block("kv/x", "read")).check("kv/x", Operation.READ)
    assert decision.allowed
    assert decision.operation == "read"


def test_unknown_operation_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        acl().check("a", "scan")


def test_root_acl_allows_everything() -> None:
    rules = ACL.from_policies([Policy("root", ""), parse_policy("x", block("a", "deny"))])
    assert rules.is_root
    assert rules.capabilities("a") == {"root"}
    decision = rules.check("a", "delete")
    assert decision.allowed and decision.sudo and decision.root
    assert decision.granting_policies == ("root",)
    assert check_parameters(decision, {"anything": 1})
    assert check_wrapping(decision, None)


def test_empty_acl_denies() -> None:
    rules = ACL.from_policies([])
    assert rules.capabilities("a") == {"deny"}
    assert rules.check("a", "read") == AclDecision("read", False)


def test_default_policy_grants() -> None:
    rules = acl(DEFAULT_POLICY_TEXT)
    assert rules.check("auth/token/lookup-self", "read").allowed
    assert rules.check("cubbyhole/x", "create").allowed
    assert rules.check("cubbyhole/", "list").allowed
    assert rules.check("identity/oidc/provider/p/authorize", "read").allowed
    assert rules.check("sys/tools/hash/sha2-256", "update").allowed
    assert not rules.check("secret/data/x", "read").allowed
    assert not rules.check("sys/policies/acl/x", "update").allowed


def test_repeated_checks_are_cached_and_consistent() -> None:
    rules = acl(CAPTURED_A, CAPTURED_B)
    first = rules.check("kv1/c/1/d", "read")
    assert rules.check("kv1/c/1/d", "read") is first
    for i in range(9000):  # past the cache bound: the cache resets instead of growing
        rules.check(f"kv1/z{i}/x", "read")
    assert rules.check("kv1/c/1/d", "read") == first


def test_resultant_acl_views() -> None:
    rules = acl(CAPTURED_A)
    assert "secret/data/foo" in rules.exact_paths
    assert {"kv1/a/", "kv1/e", "kv1/+/x", "kv1/c/+/+"} <= set(rules.glob_paths)


def test_ordered_uses_vault_reporting_order() -> None:
    assert ordered({"create", "read", "sudo", "list", "update"}) == ["sudo", "read", "list", "update", "create"]


def test_lookup_is_fast_for_a_large_policy() -> None:
    text = "".join(block(f"team{i}/data/*", "read") + block(f"team{i}/+/cfg", "update") for i in range(100))
    text += "".join(block(f"exact/{i}", "read") for i in range(500))
    rules = acl(text)
    start = time.perf_counter()
    for i in range(2000):  # distinct paths: every lookup misses the cache
        rules.rule_for(f"team{i % 100}/data/x{i}")
    per_lookup = (time.perf_counter() - start) / 2000
    assert per_lookup < 200e-6  # typically a few microseconds; the bound only catches a linear-scan regression


# ---- parameters and wrapping --------------------------------------------------------------------------


def decision_for(extra: str, operation: str = "update") -> AclDecision:
    return acl(block("kv/p", "create", "read", "update", "patch", "delete", extra=extra)).check("kv/p", operation)


ALLOWED = 'allowed_parameters = { "foo" = [], "bar" = ["zip", "zap"] }'


@pytest.mark.parametrize(
    ("extra", "data", "permitted"),
    [
        (ALLOWED, {}, True),
        (ALLOWED, {"foo": "anything", "bar": "zip"}, True),
        (ALLOWED, {"bar": "zop"}, False),
        (ALLOWED, {"baz": "1"}, False),
        (ALLOWED, {"FOO": 1}, True),  # parameter names compare case-insensitively
        ('allowed_parameters = { "*" = [] }', {"x": 1, "y": 2}, True),
        ('allowed_parameters = { "*" = [], "foo" = ["bar"] }', {"x": 1, "foo": "bar"}, True),
        ('allowed_parameters = { "*" = [], "foo" = ["bar"] }', {"x": 1, "foo": "baz"}, False),
        ('allowed_parameters = { "foo" = ["foo-*"] }', {"foo": "foo-bar"}, True),
        ('allowed_parameters = { "foo" = ["foo-*"] }', {"foo": "bar-foo"}, False),
        ('allowed_parameters = { "foo" = ["*-prod"] }', {"foo": "db-prod"}, True),
        ('allowed_parameters = { "foo" = ["*mid*"] }', {"foo": "amidb"}, True),
        ('allowed_parameters = { "foo" = ["*"] }', {"foo": "*"}, True),
        ('allowed_parameters = { "foo" = ["*"] }', {"foo": "x"}, False),  # a lone "*" is literal
        ('allowed_parameters = { "n" = [1] }', {"n": 1}, True),
        ('allowed_parameters = { "n" = [1] }', {"n": True}, False),  # a bool never equals a number
        ('allowed_parameters = { "n" = [1] }', {"n": "1"}, False),
        ('allowed_parameters = { "l" = [["a", "b"]] }', {"l": ["a", "b"]}, True),
        ('allowed_parameters = { "l" = [["a", "b"]] }', {"l": ["a"]}, False),
        ('allowed_parameters = { "m" = [{"k" = "v"}] }', {"m": {"k": "v"}}, True),
        ('allowed_parameters = { "m" = [{"k" = "v"}] }', {"m": {"k": "w"}}, False),
        ('allowed_parameters = { "m" = [{"k" = "v"}] }', {"m": {"k": "v", "j": 1}}, False),
        ('allowed_parameters = { "m" = [{"k" = "v"}] }', {"m": ["k"]}, False),
        ('allowed_parameters = { "l" = [["k"]] }', {"l": {"k": 1}}, False),
        ('allowed_parameters = { "m" = [null] }', {"m": None}, True),
        ('allowed_parameters = { "m" = [null] }', {"m": "x"}, False),
        ('denied_parameters = { "bar" = [] }', {"bar": "x"}, False),
        ('denied_parameters = { "bar" = [] }', {"foo": "x"}, True),
        ('denied_parameters = { "bar" = ["zip", "zap"] }', {"bar": "zap"}, False),
        ('denied_parameters = { "bar" = ["zip", "zap"] }', {"bar": "zop"}, True),
        ('denied_parameters = { "*" = [] }', {"any": 1}, False),
        ('denied_parameters = { "*" = [] }', {}, True),
        ('denied_parameters = { "bar" = ["x*"] }\n' + ALLOWED, {"bar": "zip"}, True),
        ('denied_parameters = { "bar" = ["z*"] }\n' + ALLOWED, {"bar": "zip"}, False),
        ('required_parameters = ["foo"]', {"foo": 1}, True),
        ('required_parameters = ["foo"]', {"bar": 1}, False),
        ('required_parameters = ["foo"]', {}, False),
        ('required_parameters = ["Foo"]', {"foo": 1}, True),
    ],
)
def test_parameter_constraints(extra: str, data: dict[str, Any], permitted: bool) -> None:
    assert check_parameters(decision_for(extra), data) is permitted


@pytest.mark.parametrize("operation", ["read", "create", "update", "patch"])
def test_parameters_checked_for_data_operations(operation: str) -> None:
    assert not check_parameters(decision_for('denied_parameters = { "x" = [] }', operation), {"x": 1})


@pytest.mark.parametrize("operation", ["delete", "list"])
def test_parameters_ignored_for_other_operations(operation: str) -> None:
    rules = acl(block("kv/p", "delete", "list", extra='required_parameters = ["x"]'))
    assert check_parameters(rules.check("kv/p", operation), {})


def test_parameters_merge_across_policies() -> None:
    rules = acl(
        block("kv/p", "update", extra='allowed_parameters = { "a" = ["1"], "b" = ["x"] }'),
        block("kv/p", "update", extra='allowed_parameters = { "a" = ["2"], "b" = [] }\nrequired_parameters = ["a"]'),
    )
    decision = rules.check("kv/p", "update")
    assert decision.allowed_parameters == {"a": ("2", "1"), "b": ()}
    assert decision.required_parameters == ("a",)
    assert check_parameters(decision, {"a": "1", "b": "anything"})
    assert not check_parameters(decision, {"a": "3"})


def test_deny_merge_drops_parameter_lists() -> None:
    rules = acl(block("kv/p", "update", extra='allowed_parameters = { "a" = [] }'), block("kv/p", "deny"))
    decision = rules.check("kv/p", "update")
    assert not decision.allowed
    assert decision.allowed_parameters is None


@pytest.mark.parametrize(
    ("wrap_ttl", "permitted"), [(None, False), (30, False), (60, True), (120, True), (300, True), (301, False)]
)
def test_wrapping_ttl_bounds(wrap_ttl: int | None, permitted: bool) -> None:
    decision = decision_for('min_wrapping_ttl = "1m"\nmax_wrapping_ttl = "5m"')
    assert check_wrapping(decision, wrap_ttl) is permitted


def test_wrapping_unbounded_rule_accepts_unwrapped() -> None:
    assert check_wrapping(decision_for(""), None)
    assert check_wrapping(decision_for(""), 10)


def test_wrapping_bounds_merge_to_smallest_and_can_become_unsatisfiable() -> None:
    rules = acl(
        block("kv/p", "update", extra="min_wrapping_ttl = 600\nmax_wrapping_ttl = 900"),
        block("kv/p", "update", extra="max_wrapping_ttl = 300"),
    )
    decision = rules.check("kv/p", "update")
    assert (decision.min_wrapping_ttl, decision.max_wrapping_ttl) == (600, 300)
    assert not check_wrapping(decision, 300)
    assert not check_wrapping(decision, 600)
    merged_min = acl(
        block("kv/p", "update", extra="min_wrapping_ttl = 600"), block("kv/p", "update", extra="min_wrapping_ttl = 60")
    )
    assert merged_min.check("kv/p", "update").min_wrapping_ttl == 60
