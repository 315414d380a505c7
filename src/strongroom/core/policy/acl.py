"""An ACL: the merged rules of a token's policies, and the decision for one path and operation.

Contract (Vault/OpenBao semantics):
- Patterns: no wildcard = exact; a trailing `*` = prefix glob (`*` elsewhere is a literal character); a `+`
  segment matches exactly one path segment (possibly empty). A pattern with a `+` segment may also end in `*`.
- Merging: rules with the identical pattern string, across all policies, merge into one rule: capabilities are
  unioned, but once either side denies, the merged rule is exactly {"deny"}. Parameter lists merge (an empty
  list, meaning "any value", absorbs the other side), required parameters are unioned, and the smaller non-zero
  wrapping TTL bound of each kind wins. Templated patterns (`{{identity...}}`) are skipped: without an entity
  Vault drops them too.
- Matching: an exact rule wins outright. Otherwise exactly one non-exact rule applies, the highest by
  (position of the first `+`/`*`, not-a-prefix, fewer `+` segments, longer pattern, lexicographically larger).
  Rules of different patterns never combine, so a more specific allow beats a broader deny.
- LIST: an exact rule is tried with the path as given, then without its trailing '/'; non-exact rules are tried
  on the path without the trailing '/' first, then with it. Unlike OpenBao < 2.6 (GHSA-xp3c-3jw3-4vcr), a deny
  that matches the path with its '/' is never bypassed by that fallback.
- `capabilities(path)` uses the LIST lookup (as sys/capabilities does): {"root"} for a root ACL, {"deny"} when
  nothing matches or the rule denies.
- `check(path, operation)` decides the capability only; the caller enforces the returned parameter and
  wrapping constraints with `check_parameters` and `check_wrapping`, and `sudo` on sudo-protected paths.
ACLs are immutable once built; lookups are cached per instance and safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from strongroom.core.policy.builtin import ROOT_POLICY
from strongroom.core.policy.merge import MergedRule, merge_rules
from strongroom.core.policy.model import OPERATIONS, Parameters, Policy
from strongroom.core.policy.parameters import parameters_permitted

__all__ = ["ACL", "CAPABILITY_ORDER", "AclDecision", "check_parameters", "check_wrapping", "ordered"]

CAPABILITY_ORDER = ("root", "sudo", "read", "list", "update", "delete", "create", "patch", "deny")
"""The order in which Vault reports capabilities (sys/capabilities)."""

_CACHE_LIMIT = 8192
_DENY = frozenset({"deny"})


def ordered(capabilities: Iterable[str]) -> list[str]:
    """Capabilities in Vault's reporting order, for rendering a frozenset on the wire."""
    present = set(capabilities)
    return [name for name in CAPABILITY_ORDER if name in present]


@dataclass(frozen=True, slots=True)
class AclDecision:
    """The outcome of `ACL.check`.

    `allowed` is the capability decision alone. `sudo` says whether the matched rule grants sudo (always for
    root). `granting_policies` name the policies whose rule granted the operation (empty when denied). The
    constraints come from the matched rule, for `check_parameters` and `check_wrapping`.
    """

    operation: str
    allowed: bool
    sudo: bool = False
    root: bool = False
    capabilities: frozenset[str] = _DENY
    matched_pattern: str | None = None
    granting_policies: tuple[str, ...] = ()
    allowed_parameters: Parameters | None = field(default=None, hash=False)
    denied_parameters: Parameters | None = field(default=None, hash=False)
    required_parameters: tuple[str, ...] = ()
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0


def check_parameters(decision: AclDecision, data: Mapping[str, Any]) -> bool:
    """Whether the request data satisfies the matched rule's parameter constraints (see `parameters`)."""
    if decision.root:
        return True
    return parameters_permitted(
        decision.operation,
        data,
        decision.allowed_parameters,
        decision.denied_parameters,
        decision.required_parameters,
    )


def check_wrapping(decision: AclDecision, wrap_ttl: int | None) -> bool:
    """Whether a request wrapped with `wrap_ttl` seconds (None = not wrapped) satisfies the TTL bounds.

    As in Vault, a rule with any bound requires the response to be wrapped.
    """
    low, high = decision.min_wrapping_ttl, decision.max_wrapping_ttl
    if decision.root or (low == 0 and high == 0):
        return True
    if wrap_ttl is None:
        return False
    if low and high and high < low:  # possible only after merging; nothing can satisfy it
        return False
    return not (high and wrap_ttl > high) and not (low and wrap_ttl < low)


@dataclass(frozen=True, slots=True)
class _SegmentPattern:
    """A pattern with `+` segments, compiled for matching against a split path."""

    parts: tuple[str, ...]
    is_prefix: bool
    priority: tuple[int, bool, int, int, str]
    rule: MergedRule

    def matches(self, segments: Sequence[str]) -> bool:
        last = len(self.parts) - 1
        if len(segments) <= last or (not self.is_prefix and len(segments) != len(self.parts)):
            return False
        for index, part in enumerate(self.parts):
            if part == "+" or part == segments[index]:
                continue
            if not (self.is_prefix and index == last and segments[index].startswith(part)):
                return False
        return True


def _segment_pattern(pattern: str, rule: MergedRule) -> _SegmentPattern:
    is_prefix = pattern.endswith("*")
    body = pattern[:-1] if is_prefix else pattern
    parts = tuple(body.split("/"))
    priority = (pattern.index("+"), not is_prefix, -parts.count("+"), len(body), body)
    return _SegmentPattern(parts, is_prefix, priority, rule)


class ACL:
    """The compiled, merged rules of a set of policies. Build with `ACL.from_policies`."""

    __slots__ = ("_cache", "_exact", "_prefix", "_prefix_lengths", "_root", "_segments")

    def __init__(self, rules: Mapping[str, MergedRule] | None = None, *, root: bool = False) -> None:
        """`rules` maps each written pattern to its merged rule; prefer `from_policies`."""
        self._root = root
        self._exact: dict[str, MergedRule] = {}
        self._prefix: dict[str, MergedRule] = {}
        segments: list[_SegmentPattern] = []
        for pattern, rule in (rules or {}).items():
            if _has_segment_wildcard(pattern):
                segments.append(_segment_pattern(pattern, rule))
            elif pattern.endswith("*"):
                self._prefix[pattern[:-1]] = rule
            else:
                self._exact[pattern] = rule
        # Why sorted: the first segment pattern that matches is the best one, so lookups stop early.
        self._segments = tuple(sorted(segments, key=lambda s: s.priority, reverse=True))
        self._prefix_lengths = tuple(sorted({len(p) for p in self._prefix}, reverse=True))
        self._cache: dict[tuple[str, str], AclDecision] = {}

    @classmethod
    def from_policies(cls, policies: Sequence[Policy]) -> ACL:
        """Merge the policies' rules; any policy named "root" makes a root ACL that allows everything."""
        if any(policy.name == ROOT_POLICY for policy in policies):
            return cls(root=True)
        return cls(merge_rules(policies))

    @property
    def is_root(self) -> bool:
        return self._root

    @property
    def exact_paths(self) -> Mapping[str, MergedRule]:
        """Exact rules by path (for sys/internal/ui/resultant-acl)."""
        return MappingProxyType(self._exact)

    @property
    def glob_paths(self) -> Mapping[str, MergedRule]:
        """Prefix rules by prefix (without the `*`) and `+` rules by full pattern."""
        globs = dict(self._prefix)
        globs.update((s.rule.pattern, s.rule) for s in self._segments)
        return MappingProxyType(globs)

    def capabilities(self, path: str) -> frozenset[str]:
        """What sys/capabilities reports for `path`."""
        if self._root:
            return frozenset({"root"})
        rule = self.rule_for(path, listing=True)
        if rule is None or not rule.capabilities:
            return _DENY
        return rule.capabilities

    def check(self, path: str, operation: str) -> AclDecision:
        """Decide whether `operation` (create/read/update/patch/delete/list) is allowed on `path`."""
        if operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}")
        key = (path, str(operation))
        cached = self._cache.get(key)
        if cached is None:
            cached = self._decide(path, str(operation))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()  # why: bounded memory; a rebuild costs microseconds per path
            self._cache[key] = cached
        return cached

    def _decide(self, path: str, operation: str) -> AclDecision:
        if self._root:
            return AclDecision(
                operation,
                True,
                sudo=True,
                root=True,
                capabilities=frozenset({"root"}),
                granting_policies=(ROOT_POLICY,),
            )
        rule = self.rule_for(path, listing=operation == "list")
        if rule is None:
            return AclDecision(operation, False)
        allowed = operation in rule.capabilities and not rule.denies
        return AclDecision(
            operation,
            allowed,
            sudo="sudo" in rule.capabilities,
            capabilities=rule.capabilities,
            matched_pattern=rule.pattern,
            granting_policies=rule.granting.get(operation, ()) if allowed else (),
            allowed_parameters=rule.allowed_parameters,
            denied_parameters=rule.denied_parameters,
            required_parameters=rule.required_parameters,
            min_wrapping_ttl=rule.min_wrapping_ttl,
            max_wrapping_ttl=rule.max_wrapping_ttl,
        )

    def rule_for(self, path: str, *, listing: bool = False) -> MergedRule | None:
        """The one merged rule that governs `path` (None if none); `listing` applies the LIST fallbacks."""
        path = path.lstrip("/")
        rule = self._exact.get(path)
        if rule is not None:
            return rule
        if listing:
            trimmed = path[:-1] if path.endswith("/") else path
            rule = self._exact.get(trimmed)
            if rule is not None:
                return rule
            if trimmed != path:
                rule = self._non_exact(trimmed)
                if rule is not None:
                    # GHSA-xp3c-3jw3-4vcr: the fallback must not bypass a deny on the path as requested.
                    with_slash = self._non_exact(path)
                    return with_slash if with_slash is not None and with_slash.denies else rule
        return self._non_exact(path)

    def _non_exact(self, path: str) -> MergedRule | None:
        best: MergedRule | None = None
        best_priority: tuple[int, bool, int, int, str] | None = None
        for length in self._prefix_lengths:
            if length <= len(path) and (hit := self._prefix.get(path[:length])) is not None:
                prefix = path[:length]
                best, best_priority = hit, (length, False, 0, length, prefix)
                break
        if self._segments:
            segments = path.split("/")
            for candidate in self._segments:
                if best_priority is not None and candidate.priority < best_priority:
                    break
                if candidate.matches(segments):
                    return candidate.rule
        return best


def _has_segment_wildcard(pattern: str) -> bool:
    """Vault's test (policy.go): a lone "+", or "+" right after a '/' or at the start of a segment path."""
    return pattern == "+" or "/+" in pattern or pattern.startswith("+/")
