"""Resolve identity templates in policy paths (`{{identity.entity.id}}` and the like) for one entity.

Contract: `resolve(policy, values)` returns the policy with each templated rule's placeholders replaced by
`values[<placeholder without braces, trimmed>]`. A rule is dropped, as Vault drops it, when any placeholder has
no value; it is also dropped when a value could widen the pattern: empty, ".", "..", exactly "+", or holding
'/', '*', '{' or '}' (an alias named "*" or "bob/x" must not reach another user's paths). Untemplated rules and
policies without templates come back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from strongroom.core.policy.model import PathRule, Policy

__all__ = ["resolve"]

_PLACEHOLDER = re.compile(r"\{\{\s*(identity\.[^{}\s]+)\s*\}\}")
_UNSAFE = re.compile(r"[/*{}\x00]")


def _safe(value: str) -> bool:
    return value not in ("", ".", "..", "+") and _UNSAFE.search(value) is None


def _resolve_rule(rule: PathRule, values: Mapping[str, str]) -> PathRule | None:
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = values.get(match.group(1))
        if value is None or not _safe(value):
            missing = True
            return ""
        return value

    path = _PLACEHOLDER.sub(fill, rule.path)
    return None if missing else replace(rule, path=path)


def resolve(policy: Policy, values: Mapping[str, str]) -> Policy:
    if not policy.templated:
        return policy
    rules = []
    for rule in policy.rules:
        resolved = _resolve_rule(rule, values) if rule.templated else rule
        if resolved is not None:
            rules.append(resolved)
    return replace(policy, rules=tuple(rules))
