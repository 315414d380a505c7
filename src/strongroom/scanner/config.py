"""Scanner configuration: extra rules and allowlists from TOML (ours or a `.gitleaks.toml`).

Our format (`.strongroom-scan.toml`, or `[scan]`-less top level)::

    [[rules]]
    id = "acme-token"
    description = "ACME internal token"
    regex = '''acme_[a-z0-9]{32}'''
    keywords = ["acme_"]
    entropy = 3.0

    [allowlist]
    paths = ['''^vendor/''']
    regexes = ['''^test-''']          # matched against the secret
    stopwords = ["fixture"]
    commits = ["<sha>"]

A gitleaks file uses the same `[[rules]]` keys (`secretGroup`, per-rule `[[rules.allowlists]]`) and either
`[allowlist]` or `[[allowlists]]`; its `[extend] useDefault` is ignored because our rules always apply unless
`use_default = false` is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from strongroom.scanner.errors import ConfigError
from strongroom.scanner.rule import Rule


@dataclass(frozen=True)
class Allowlist:
    """Findings matching any of these are dropped. Regexes are RE2."""

    paths: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    commits: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()  # empty: applies to every rule

    def compiled(self) -> CompiledAllowlist:
        try:
            return CompiledAllowlist(
                paths=tuple(re2.compile(p) for p in self.paths),
                regexes=tuple(re2.compile(r) for r in self.regexes),
                stopwords=tuple(s.lower() for s in self.stopwords),
                commits=frozenset(self.commits),
                rule_ids=frozenset(self.rule_ids),
            )
        except re2.error as exc:
            raise ConfigError(f"allowlist regex does not compile: {exc}") from exc


@dataclass(frozen=True)
class CompiledAllowlist:
    paths: tuple[Any, ...]
    regexes: tuple[Any, ...]
    stopwords: tuple[str, ...]
    commits: frozenset[str]
    rule_ids: frozenset[str]

    def allows_path(self, path: str) -> bool:
        return not self.rule_ids and any(p.search(path) for p in self.paths)

    def allows(self, rule_id: str, secret: str, path: str, commit: str) -> bool:
        if self.rule_ids and rule_id not in self.rule_ids:
            return False
        if commit and commit in self.commits:
            return True
        if any(p.search(path) for p in self.paths):
            return True
        if any(r.search(secret) for r in self.regexes):
            return True
        lowered = secret.lower()
        return any(s in lowered for s in self.stopwords)


@dataclass(frozen=True)
class Config:
    rules: tuple[Rule, ...] = ()
    allowlists: tuple[Allowlist, ...] = ()
    use_default: bool = True
    sources: tuple[str, ...] = field(default=())


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of strings")
    return tuple(value)


def _allowlist(table: Mapping[str, Any], rule_ids: Iterable[str] = ()) -> Allowlist:
    targets = _strings(table.get("targetRules") or table.get("target_rules"), "targetRules")
    return Allowlist(
        paths=_strings(table.get("paths"), "allowlist.paths"),
        regexes=_strings(table.get("regexes"), "allowlist.regexes"),
        stopwords=_strings(table.get("stopwords"), "allowlist.stopwords"),
        commits=_strings(table.get("commits"), "allowlist.commits"),
        rule_ids=tuple(rule_ids) or targets,
    )


def _rule(table: Mapping[str, Any]) -> tuple[Rule | None, list[Allowlist]]:
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise ConfigError("every [[rules]] entry needs an id")
    regex = table.get("regex")
    allowlists = [_allowlist(a, [rule_id]) for a in table.get("allowlists", []) or []]
    if isinstance(table.get("allowlist"), dict):
        allowlists.append(_allowlist(table["allowlist"], [rule_id]))
    if not isinstance(regex, str) or not regex:
        return None, allowlists  # path-only gitleaks rules have no content to match
    group = table.get("secretGroup", table.get("secret_group", 0))
    if group not in (0, 1):
        # Our engine reports group 1; rewrite other groups by making the chosen one the only capture.
        raise ConfigError(f"rule {rule_id}: only secretGroup 0 or 1 is supported")
    try:
        compiled = re2.compile(regex)
    except re2.error as exc:
        raise ConfigError(f"rule {rule_id}: regex does not compile in RE2: {exc}") from exc
    if group == 0 and compiled.groups:
        regex = f"({regex})"  # group 1 must be the whole match
    entropy = table.get("entropy", 0.0)
    rule = Rule(
        id=rule_id,
        description=str(table.get("description", rule_id)),
        family="custom",
        regex=regex,
        keywords=tuple(k.lower() for k in _strings(table.get("keywords"), f"rules.{rule_id}.keywords")),
        entropy=float(entropy),
    )
    return rule, allowlists


def parse_config(data: Mapping[str, Any], source: str = "<config>") -> Config:
    rules: list[Rule] = []
    allowlists: list[Allowlist] = []
    for table in data.get("rules", []) or []:
        rule, rule_allowlists = _rule(table)
        if rule is not None:
            rules.append(rule)
        allowlists.extend(rule_allowlists)
    if isinstance(data.get("allowlist"), dict):
        allowlists.append(_allowlist(data["allowlist"]))
    for table in data.get("allowlists", []) or []:
        allowlists.append(_allowlist(table))
    use_default = bool(data.get("use_default", True))
    return Config(tuple(rules), tuple(allowlists), use_default, (source,))


def load_config(path: Path) -> Config:
    import tomllib  # here: most scans read no config file

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    return parse_config(data, str(path))


def merge(*configs: Config) -> Config:
    return Config(
        rules=tuple(r for c in configs for r in c.rules),
        allowlists=tuple(a for c in configs for a in c.allowlists),
        use_default=all(c.use_default for c in configs),
        sources=tuple(s for c in configs for s in c.sources),
    )
