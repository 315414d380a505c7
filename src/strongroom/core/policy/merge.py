"""Merge the rules of several policies per identical pattern string (Vault's NewACL).

Contract: `merge_rules(policies)` returns one `MergedRule` per written pattern (leading '/' stripped,
templated patterns skipped), in first-seen order:
- capabilities are unioned; a deny on either side makes the rule exactly {"deny"} and drops its parameter
  lists, and nothing merged later changes it;
- allowed/denied parameters merge per name: values are concatenated, but an empty list ("any value") on
  either side wins; a side without constraints adds none;
- required parameters are unioned in first-seen order;
- for min and for max wrapping TTL, the smaller non-zero value wins;
- `granting` records, per capability, the policies (in order, once each) whose rule granted it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from strongroom.core.policy.model import Parameters, PathRule, Policy

__all__ = ["MergedRule", "merge_rules"]


@dataclass(frozen=True, slots=True)
class MergedRule:
    """The effective rule for one pattern once all policies are merged."""

    pattern: str
    capabilities: frozenset[str]
    granting: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    allowed_parameters: Parameters | None = field(default=None, hash=False)
    denied_parameters: Parameters | None = field(default=None, hash=False)
    required_parameters: tuple[str, ...] = ()
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0

    @property
    def denies(self) -> bool:
        return "deny" in self.capabilities


@dataclass(slots=True)
class _Builder:
    pattern: str
    capabilities: set[str] = field(default_factory=set)
    granting: dict[str, list[str]] = field(default_factory=dict)
    allowed: dict[str, list[Any]] | None = None
    denied: dict[str, list[Any]] | None = None
    required: list[str] = field(default_factory=list)
    min_ttl: int = 0
    max_ttl: int = 0

    def add(self, policy: str, rule: PathRule) -> None:
        if "deny" in self.capabilities:
            return
        if "deny" in rule.capabilities:
            self.capabilities = {"deny"}
            self.allowed = self.denied = None
            return
        self.capabilities |= rule.capabilities
        for capability in rule.capabilities:
            names = self.granting.setdefault(capability, [])
            if policy not in names:
                names.append(policy)
        self.allowed = _merge_parameters(self.allowed, rule.allowed_parameters)
        self.denied = _merge_parameters(self.denied, rule.denied_parameters)
        self.required.extend(p for p in rule.required_parameters if p not in self.required)
        self.min_ttl = _smaller_bound(self.min_ttl, rule.min_wrapping_ttl)
        self.max_ttl = _smaller_bound(self.max_ttl, rule.max_wrapping_ttl)

    def build(self) -> MergedRule:
        return MergedRule(
            pattern=self.pattern,
            capabilities=frozenset(self.capabilities),
            granting=MappingProxyType({cap: tuple(names) for cap, names in self.granting.items()}),
            allowed_parameters=_freeze(self.allowed),
            denied_parameters=_freeze(self.denied),
            required_parameters=tuple(self.required),
            min_wrapping_ttl=self.min_ttl,
            max_wrapping_ttl=self.max_ttl,
        )


def merge_rules(policies: Sequence[Policy]) -> dict[str, MergedRule]:
    builders: dict[str, _Builder] = {}
    for policy in policies:
        for rule in policy.rules:
            if rule.templated:
                continue
            builder = builders.get(rule.path)
            if builder is None:
                builder = builders[rule.path] = _Builder(rule.path)
            builder.add(policy.name, rule)
    return {pattern: builder.build() for pattern, builder in builders.items()}


def _merge_parameters(current: dict[str, list[Any]] | None, incoming: Parameters | None) -> dict[str, list[Any]] | None:
    if not incoming:
        return current
    merged = dict(current or {})
    for name, values in incoming.items():
        existing = merged.get(name)
        if not values or (existing is not None and not existing):
            merged[name] = []  # "any value" absorbs any list
        else:
            merged[name] = [*values, *(existing or [])]
    return merged


def _smaller_bound(current: int, incoming: int) -> int:
    if incoming and (not current or incoming < current):
        return incoming
    return current


def _freeze(parameters: dict[str, list[Any]] | None) -> Parameters | None:
    if parameters is None:
        return None
    return MappingProxyType({name: tuple(values) for name, values in parameters.items()})
