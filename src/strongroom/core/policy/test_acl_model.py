"""The ACL matcher against a brute-force reference model, over random policies and paths.

The model shares no code with `acl.py`: it merges rules by folding over every block, decides "matches" with
a regular expression built from the pattern, and ranks matches with a comparator written from the documented
priority rules ("P1 loses to P2 if ...").
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st

from strongroom.core.policy import ACL, parse_policy

LITERALS = ["a", "b", "ab", "abc", ""]
CAPS = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"]
OPERATIONS = ["create", "read", "update", "patch", "delete", "list"]


@st.composite
def random_patterns(draw: st.DrawFn) -> str:
    segments = draw(st.lists(st.sampled_from([*LITERALS, "+"]), min_size=1, max_size=4))
    text = "/".join(segments)
    if draw(st.booleans()) and not text.endswith("+"):  # '+*' is forbidden
        text += "*"
    return text


# Patterns that compete on each priority rule in turn, so ties deep in the order are exercised often.
CONTESTED = ["a/*", "a*", "a/a*", "a/ab*", "a/+", "a/+/ab*", "a/+/a*", "a/+/*", "a/+/b", "+/a/b", "a/+/+", "+/+/b", "*"]


def patterns() -> st.SearchStrategy[str]:
    return st.one_of(random_patterns(), st.sampled_from(CONTESTED))


Block = tuple[str, list[str]]


def blocks() -> st.SearchStrategy[list[Block]]:
    return st.lists(st.tuples(patterns(), st.lists(st.sampled_from(CAPS), max_size=3, unique=True)), max_size=8)


def as_json(policy: list[Block]) -> str:
    # The list form keeps repeated patterns, like repeated HCL blocks; JSON parses far faster than HCL.
    return json.dumps({"path": [{pattern: {"capabilities": caps}} for pattern, caps in policy]})


def as_hcl(policy: list[Block]) -> str:
    return "# generated\n" + "".join(f'path "{p}" {{ capabilities = {json.dumps(c)} }}\n' for p, c in policy)


def build(policies: list[list[Block]]) -> ACL:
    return ACL.from_policies([parse_policy(f"p{i}", as_json(policy)) for i, policy in enumerate(policies)])


@st.composite
def paths(draw: st.DrawFn) -> str:
    text = "/".join(draw(st.lists(st.sampled_from([*LITERALS, "abd", "+", "*"]), min_size=1, max_size=5)))
    return text + "/" if draw(st.booleans()) else text


# ---- the reference model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    pattern: str
    capabilities: frozenset[str]

    @property
    def has_plus(self) -> bool:
        return "+" in self.pattern.split("/")

    @property
    def is_glob(self) -> bool:
        return self.pattern.endswith("*")

    @property
    def is_exact(self) -> bool:
        return not self.has_plus and not self.is_glob

    @property
    def body(self) -> str:
        return self.pattern[:-1] if self.is_glob else self.pattern

    def matches(self, path: str) -> bool:
        pieces = ["[^/]*" if seg == "+" else re.escape(seg) for seg in self.body.split("/")]
        return re.fullmatch("/".join(pieces) + (".*" if self.is_glob else ""), path, re.DOTALL) is not None


def model_rules(policies: list[list[Block]]) -> list[Rule]:
    merged: dict[str, set[str]] = {}
    for policy in policies:
        for written, caps in policy:
            pattern = written.removeprefix("/")  # policies ignore one leading '/'
            current = merged.setdefault(pattern, set())
            if "deny" in current:
                continue
            merged[pattern] = {"deny"} if "deny" in caps else current | set(caps)
    return [Rule(p, frozenset(c)) for p, c in merged.items()]


def first_wildcard(rule: Rule) -> int:
    positions = [i for i, ch in enumerate(rule.pattern) if ch == "+"]
    if rule.is_glob:
        positions.append(len(rule.pattern) - 1)
    return min(positions)


def loses_to(p1: Rule, p2: Rule) -> int:
    """-1 when p1 has lower priority than p2, following the documented order of tests."""
    for a, b in [
        (first_wildcard(p1), first_wildcard(p2)),  # earlier first wildcard loses
        (not p1.is_glob, not p2.is_glob),  # ending in '*' loses
        (-p1.body.split("/").count("+"), -p2.body.split("/").count("+")),  # more '+' loses
        (len(p1.body), len(p2.body)),  # shorter loses
        (p1.body, p2.body),  # lexicographically smaller loses
    ]:
        if a != b:
            return -1 if a < b else 1
    return 0


def best_non_exact(rules: list[Rule], path: str) -> Rule | None:
    candidates = [r for r in rules if not r.is_exact and r.matches(path)]
    return max(candidates, key=functools.cmp_to_key(loses_to)) if candidates else None


def exact(rules: list[Rule], path: str) -> Rule | None:
    return next((r for r in rules if r.is_exact and r.pattern == path), None)


def model_rule(rules: list[Rule], path: str, listing: bool) -> Rule | None:
    path = path.lstrip("/")  # requests ignore leading '/'
    if (hit := exact(rules, path)) is not None:
        return hit
    if listing:
        trimmed = path.removesuffix("/")
        if (hit := exact(rules, trimmed)) is not None:
            return hit
        if trimmed != path and (hit := best_non_exact(rules, trimmed)) is not None:
            full = best_non_exact(rules, path)
            return full if full is not None and "deny" in full.capabilities else hit
    return best_non_exact(rules, path)


def model_capabilities(rules: list[Rule], path: str) -> frozenset[str]:
    rule = model_rule(rules, path, listing=True)
    return rule.capabilities if rule is not None and rule.capabilities else frozenset({"deny"})


# ---- properties ---------------------------------------------------------------------------------------

POLICY_SETS = st.lists(blocks(), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(POLICY_SETS, st.lists(paths(), min_size=1, max_size=8))
@example([[("a/+/a*", ["read"]), ("a/+/ab*", ["list"]), ("a/+/b", ["update"])]], ["a/b/abc", "a/b/b", "a/b/a/"])
def test_acl_agrees_with_model(policies: list[list[Block]], requests: list[str]) -> None:
    acl = build(policies)
    rules = model_rules(policies)
    for path in requests:
        assert acl.capabilities(path) == model_capabilities(rules, path), path
        for operation in OPERATIONS:
            rule = model_rule(rules, path, listing=operation == "list")
            expected = rule is not None and operation in rule.capabilities and "deny" not in rule.capabilities
            decision = acl.check(path, operation)
            assert decision.allowed is expected, (path, operation)
            assert decision.sudo is (rule is not None and "sudo" in rule.capabilities), (path, operation)


@settings(max_examples=40, deadline=None)
@given(blocks())
def test_hcl_and_json_forms_parse_alike(policy: list[Block]) -> None:
    assert parse_policy("p", as_hcl(policy)).rules == parse_policy("p", as_json(policy)).rules


@settings(max_examples=100, deadline=None)
@given(blocks(), paths())
def test_a_deny_on_the_governing_pattern_denies_every_operation(policy: list[Block], path: str) -> None:
    governing = build([policy]).rule_for(path)
    if governing is None:
        return
    after = build([policy, [(governing.pattern, ["deny"])]])
    assert after.rule_for(path) is not None
    assert after.rule_for(path).pattern == governing.pattern  # type: ignore[union-attr]
    assert all(not after.check(path, op).allowed for op in OPERATIONS if op != "list")
