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

from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.core.policy import ACL, parse_policy

LITERALS = ["a", "b", "ab", "abc", ""]
CAPS = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"]
OPERATIONS = ["create", "read", "update", "patch", "delete", "list"]


@st.composite
def patterns(draw: st.DrawFn) -> str:
    segments = draw(st.lists(st.sampled_from([*LITERALS, "+"]), min_size=1, max_size=4))
    text = "/".join(segments)
    if draw(st.booleans()) and not text.endswith("+"):  # '+*' is forbidden
        text += "*"
    return text


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.tuples(patterns(), st.lists(st.sampled_from(CAPS), max_size=3, unique=True)), max_size=8))
    lines = [f'path "{p}" {{ capabilities = {json.dumps(cs)} }}' for p, cs in blocks]
    return "# generated\n" + "\n".join(lines) + "\n"


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


def model_rules(texts: list[str]) -> list[Rule]:
    merged: dict[str, set[str]] = {}
    for text in texts:
        for block in re.finditer(r'path "([^"]*)" \{ capabilities = \[([^\]]*)\] \}', text):
            caps = set(re.findall(r'"(\w+)"', block.group(2)))
            pattern = block.group(1).removeprefix("/")  # policies ignore one leading '/'
            current = merged.setdefault(pattern, set())
            if "deny" in current:
                continue
            merged[pattern] = {"deny"} if "deny" in caps else current | caps
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


@settings(max_examples=400, deadline=None)
@given(st.lists(policy_texts(), min_size=1, max_size=3), st.lists(paths(), min_size=1, max_size=8))
def test_capabilities_agree_with_model(texts: list[str], requests: list[str]) -> None:
    acl = ACL.from_policies([parse_policy(f"p{i}", t) for i, t in enumerate(texts)])
    rules = model_rules(texts)
    for path in requests:
        assert acl.capabilities(path) == model_capabilities(rules, path), path


@settings(max_examples=400, deadline=None)
@given(st.lists(policy_texts(), min_size=1, max_size=3), paths(), st.sampled_from(OPERATIONS))
def test_check_agrees_with_model(texts: list[str], path: str, operation: str) -> None:
    acl = ACL.from_policies([parse_policy(f"p{i}", t) for i, t in enumerate(texts)])
    rule = model_rule(model_rules(texts), path, listing=operation == "list")
    expected = rule is not None and operation in rule.capabilities and "deny" not in rule.capabilities
    decision = acl.check(path, operation)
    assert decision.allowed is expected
    assert decision.sudo is (rule is not None and "sudo" in rule.capabilities)


@settings(max_examples=200, deadline=None)
@given(policy_texts(), paths())
def test_a_deny_on_the_governing_pattern_denies_every_operation(text: str, path: str) -> None:
    governing = ACL.from_policies([parse_policy("a", text)]).rule_for(path)
    if governing is None:
        return
    deny = parse_policy("b", f'path "{governing.pattern}" {{ policy = "deny" }}')
    after = ACL.from_policies([parse_policy("a", text), deny])
    assert after.rule_for(path) is not None
    assert after.rule_for(path).pattern == governing.pattern  # type: ignore[union-attr]
    assert all(not after.check(path, op).allowed for op in OPERATIONS if op != "list")
