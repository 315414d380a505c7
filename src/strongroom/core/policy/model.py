"""Parsed policies as immutable values.

A `Policy` is what the parser returns and the store keeps: its normalised name, the exact text it was parsed
from (returned verbatim by reads), and one `PathRule` per `path` block in source order. Rules are not merged
here: several blocks for the same path, in one policy or across policies, are merged when an ACL is built.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CAPABILITIES = ("create", "read", "update", "patch", "delete", "list", "sudo", "deny")
"""Every capability a `capabilities = [...]` list may name."""

OPERATIONS = ("create", "read", "update", "patch", "delete", "list")
"""The operations an ACL decides on; each needs the capability of the same name."""

LEGACY_POLICIES: Mapping[str, tuple[str, ...]] = {
    "deny": ("deny",),
    "read": ("read", "list"),
    "write": ("create", "read", "update", "delete", "list"),
    "sudo": ("create", "read", "update", "delete", "list", "sudo"),
}
"""The pre-0.5 `policy = "..."` shorthand and the capabilities each word stands for (as Vault maps them)."""

Parameters = Mapping[str, tuple[Any, ...]]
"""Parameter name (lower-cased) -> permitted or forbidden values; an empty tuple means "any value"."""


def normalize_name(name: str) -> str:
    """The one canonical form of a policy name: NFKC, trimmed, lower-cased.

    Why NFKC: a full-width or otherwise compatible spelling of "root" must be recognised as "root" (the class
    of CVE-2025-5999), so every comparison and every storage key uses this form.
    """
    return unicodedata.normalize("NFKC", name).strip().lower()


@dataclass(frozen=True, slots=True)
class PathRule:
    """One `path "<pattern>" { ... }` block.

    `path` is the pattern as written minus one leading '/'. `capabilities` is exactly {"deny"} when the block
    denies (deny discards everything else, as in Vault). `allowed_parameters`/`denied_parameters` are None when
    the block does not constrain parameters. Wrapping TTLs are whole seconds; 0 means unbounded.
    """

    path: str
    capabilities: frozenset[str]
    allowed_parameters: Parameters | None = field(default=None, hash=False)
    denied_parameters: Parameters | None = field(default=None, hash=False)
    required_parameters: tuple[str, ...] = ()
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0

    @property
    def templated(self) -> bool:
        """Whether the pattern holds an identity template (`{{identity...}}`), resolved per request."""
        return "{{" in self.path


@dataclass(frozen=True, slots=True)
class Policy:
    """A named ACL policy: its text as submitted and the rules parsed from it."""

    name: str
    text: str
    rules: tuple[PathRule, ...] = ()

    @property
    def templated(self) -> bool:
        return any(rule.templated for rule in self.rules)
