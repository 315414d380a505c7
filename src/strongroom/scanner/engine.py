"""Linear-time multi-pattern matching: Hyperscan finds which rules can match a buffer, RE2 extracts them.

Hyperscan compiles a *prefilter* form of every rule (large bounded repeats relaxed to open ones, lazy
quantifiers made greedy), a superset of what the rule matches, and reports each rule at most once per
buffer. Only rules it reports run through RE2, which gives exact spans and the secret group. Both engines
are automata without backtracking, so a hostile rule such as `(a+)+$` costs linear time. The compiled
Hyperscan database is cached on disk because compiling ~300 patterns takes most of a second.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hyperscan
import re2

from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.errors import RuleError
from strongroom.scanner.filters import (
    generic_noise,
    is_placeholder,
    is_reference,
    looks_like_code,
    names_identifier,
    shannon_entropy,
)
from strongroom.scanner.rule import Rule


@dataclass(frozen=True)
class Match:
    """A candidate secret: `start`/`end` are byte offsets of the secret in the scanned buffer."""

    rule: Rule
    start: int
    end: int
    secret: str
    encoding: str = ""  # "base64", "hex", "percent", "kubernetes" when found in decoded text


_REPEAT_RE = re.compile(r"(?<!\\)\{(\d+)(,?)(\d*)\}\??")
_LAZY_RE = re.compile(r"(?<!\\)([*+?])\?")
_PREFILTER_REPEAT = 16


def prefilter_pattern(regex: str) -> str:
    """A superset of `regex` that Hyperscan compiles quickly: `{86}` -> `{16,}`, `*?` -> `*`."""

    def relax(m: re.Match[str]) -> str:
        low = int(m.group(1))
        high = m.group(3)
        if low > _PREFILTER_REPEAT:
            return f"{{{_PREFILTER_REPEAT},}}"
        if m.group(2) and (not high or int(high) > _PREFILTER_REPEAT):
            return f"{{{low},}}"
        return m.group(0).rstrip("?")

    return _LAZY_RE.sub(r"\1", _REPEAT_RE.sub(relax, regex))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "strongroom" / "scanner"


_HS_FLAGS = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY


def _compile_hyperscan(patterns: Sequence[str]) -> tuple[Any, list[int]]:
    """Compile the patterns Hyperscan accepts; returns the database and the indices it left out."""
    database = hyperscan.Database()
    try:
        database.compile(
            expressions=[p.encode() for p in patterns], ids=list(range(len(patterns))),
            flags=[_HS_FLAGS] * len(patterns),
        )
        return database, []
    except hyperscan.error:
        pass  # find the patterns it rejects, one by one
    accepted: list[int] = []
    rejected: list[int] = []
    for index, pattern in enumerate(patterns):
        try:
            hyperscan.Database().compile(expressions=[pattern.encode()], ids=[0], flags=[_HS_FLAGS])
            accepted.append(index)
        except hyperscan.error:
            rejected.append(index)
    database = hyperscan.Database()
    if accepted:
        database.compile(
            expressions=[patterns[i].encode() for i in accepted], ids=accepted, flags=[_HS_FLAGS] * len(accepted)
        )
    return database, rejected


def _load_hyperscan(patterns: Sequence[str]) -> tuple[Any, list[int]]:
    digest = hashlib.sha256("\x00".join(["v1", *patterns]).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{digest}.hsdb"
    rejected_path = path.with_suffix(".rejected")
    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        text = rejected_path.read_text()
        return database, [int(x) for x in text.split()]
    except (OSError, ValueError, hyperscan.error):
        pass
    database, rejected = _compile_hyperscan(patterns)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(database))
        rejected_path.write_text(" ".join(map(str, rejected)))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the compile time
    return database, rejected


def _compile_re2(rule: Rule) -> Any:
    try:
        return re2.compile(b"(?m)" + rule.regex.encode())
    except re2.error as exc:
        raise RuleError(f"rule {rule.id}: regex does not compile in RE2: {exc}") from exc


class Engine:
    """Matches a fixed rule set against byte buffers; safe to share between threads."""

    def __init__(self, rules: Sequence[Rule], markers: Sequence[str] = ()) -> None:
        """`markers` are extra patterns reported by `markers_in` (cheap gates for costlier work)."""
        self.rules = tuple(r for r in rules if r.regex)
        self.markers = tuple(markers)
        # Built-in rules (the tests compile every one) compile on first use: a scan needs only the few whose
        # prefilter fires, and compiling all ~330 costs a fifth of a second at every start. User rules compile
        # now, so that a bad one fails at load.
        builtin = {id(r) for r in DETECTORS}
        self._compiled: list[Any] = [None if id(r) in builtin else _compile_re2(r) for r in self.rules]
        self._keywords = [self._required_keywords(r) for r in self.rules]
        patterns = [prefilter_pattern(r.regex) for r in self.rules] + [prefilter_pattern(m) for m in self.markers]
        self._database, always = _load_hyperscan(patterns)
        self._always = [i for i in always if i < len(self.rules)]
        self._always_markers = {i - len(self.rules) for i in always if i >= len(self.rules)}
        self._local = threading.local()

    @staticmethod
    def _required_keywords(rule: Rule) -> tuple[bytes, ...]:
        return tuple(k.encode() for k in rule.keywords if k)

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = hyperscan.Scratch(self._database)
            self._local.scratch = scratch
        return scratch

    def candidate_rules(self, data: bytes) -> list[int]:
        """Indices of rules that may match `data` (Hyperscan prefilter plus rules it could not compile)."""
        return self._prefilter(data)[0]

    def _prefilter(self, data: bytes) -> tuple[list[int], set[int]]:
        hits: list[int] = list(self._always)
        if data:
            self._database.scan(data, match_event_handler=_append_to, context=hits, scratch=self._scratch())
        if not hits:  # most buffers: nothing to confirm
            return hits, self._always_markers
        limit = len(self.rules)
        markers = {i - limit for i in hits if i >= limit} | self._always_markers
        return [i for i in hits if i < limit], markers

    def scan(self, data: bytes) -> list[Match]:
        """Every accepted match in `data`, overlaps resolved in favour of specific rules."""
        return self.scan_with_markers(data)[0]

    def scan_with_markers(self, data: bytes) -> tuple[list[Match], set[int]]:
        """Matches, and the indices of the markers that may occur in `data` (a set not to be changed)."""
        candidates, markers = self._prefilter(data)
        if not candidates:
            return [], markers
        found: list[Match] = []
        vetoed: list[tuple[int, int]] = []
        lowered: bytes | None = None
        for index in candidates:
            keywords = self._keywords[index]
            if keywords:
                if lowered is None:
                    lowered = data.lower()
                if not any(k in lowered for k in keywords):
                    continue
            found.extend(self._extract(index, data, vetoed))
        if vetoed:
            # A known format that failed its checksum or is a placeholder is not a generic secret either.
            found = [m for m in found if not m.rule.generic or all(m.end <= a or m.start >= b for a, b in vetoed)]
        return resolve_overlaps(found), markers

    def _extract(self, index: int, data: bytes, vetoed: list[tuple[int, int]]) -> list[Match]:
        rule = self.rules[index]
        out: list[Match] = []
        compiled = self._compiled[index]
        if compiled is None:  # a benign race between threads compiles it twice
            compiled = self._compiled[index] = _compile_re2(rule)
        group = 1 if compiled.groups else 0
        for m in compiled.finditer(data):
            start, end = m.span(group)
            if start < 0:
                continue
            secret = data[start:end].decode("utf-8", "replace")
            if rule.generic and generic_noise(data[max(0, m.start() - 40):end].decode("utf-8", "replace"), secret):
                continue
            if rule.context and names_identifier(data[m.start():start].decode("utf-8", "replace")):
                continue
            if accept_secret(rule, secret):
                out.append(Match(rule, start, end, secret))
            elif not rule.generic:
                vetoed.append((start, end))
        return out


def _append_to(rule_id: int, _start: int, _end: int, _flags: int, hits: list[int]) -> None:
    hits.append(rule_id)  # Hyperscan's match handler; `hits` is the scan's context


def accept_secret(rule: Rule, secret: str) -> bool:
    """Entropy floor, checksum/structure validator and placeholder filters for one candidate."""
    if not secret:
        return False
    if rule.entropy and shannon_entropy(secret) < rule.entropy:
        return False
    if rule.validator is not None and not rule.validator(secret):
        return False
    if is_placeholder(secret):
        return False
    return not (rule.generic and (is_reference(secret) or looks_like_code(secret)))


def resolve_overlaps(matches: list[Match]) -> list[Match]:
    """Keep one match per overlapping span: specific over generic, then the longer, then rule order."""
    if len(matches) < 2:
        return matches
    ranked = sorted(
        matches, key=lambda m: (m.rule.generic, -(m.end - m.start), m.encoding != "kubernetes", m.start)
    )
    kept: list[Match] = []
    for match in ranked:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    kept.sort(key=lambda m: (m.start, m.rule.id))
    return kept
