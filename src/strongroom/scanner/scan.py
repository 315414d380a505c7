"""The detector: one buffer (with its path) in, findings out.

Pipeline per buffer: normalise text (UTF-16 to UTF-8, skip binary) -> engine matches -> decoded matches
(base64/hex/percent, bounded depth) -> Kubernetes Secret values -> overlap resolution -> inline
`strongroom:allow` comments and allowlists.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from strongroom.scanner.config import CompiledAllowlist, Config
from strongroom.scanner.decode import (
    CANDIDATE_MARKER,
    KUBERNETES_MARKER,
    encoded_runs,
    kubernetes_secret_values,
)
from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.engine import Engine, Match, resolve_overlaps
from strongroom.scanner.filters import is_placeholder, is_reference, shannon_entropy
from strongroom.scanner.rule import Rule

INLINE_ALLOW = (b"strongroom:allow", b"gitleaks:allow")
_KUBERNETES_RULE = next(r for r in DETECTORS if r.id == "kubernetes-secret")


@dataclass(frozen=True)
class Finding:
    """One leaked secret. `commit`/`author`/`date` name the commit that introduced it (history scans)."""

    rule_id: str
    description: str
    file: str
    start_line: int
    end_line: int
    start_column: int
    end_column: int
    secret: str
    line: str
    entropy: float
    encoding: str = ""
    commit: str = ""
    author: str = ""
    email: str = ""
    date: str = ""
    message: str = ""
    # Set by the managed-secret check: where Strongroom keeps this value.
    managed: str = ""

    @property
    def fingerprint(self) -> str:
        """Stable across runs and machines: does not depend on the commit, line or scan order."""
        return fingerprint(self.rule_id, self.file, self.secret)

    @property
    def secret_hash(self) -> str:
        return secret_hash(self.rule_id, self.secret)


def fingerprint(rule_id: str, path: str, secret: str) -> str:
    digest = hashlib.sha256(b"strongroom-scan-fp-v1\x00" + "\x00".join((rule_id, path, secret)).encode())
    return digest.hexdigest()[:32]


def secret_hash(rule_id: str, secret: str) -> str:
    digest = hashlib.sha256(b"strongroom-scan-secret-v1\x00" + f"{rule_id}\x00{secret}".encode())
    return digest.hexdigest()


def normalise(data: bytes) -> bytes | None:
    """UTF-8 text to scan, or None for binary content."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace").encode()
    if data.find(b"\x00", 0, 8192) >= 0:
        head = data[:8192]
        if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            return data.decode("utf-16-le", "replace").encode()
        if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            return data.decode("utf-16-be", "replace").encode()
        return None
    return data


class Detector:
    """Rules plus configuration; thread-safe, reused for every buffer of a scan."""

    def __init__(self, config: Config | None = None, *, decode_depth: int = 2) -> None:
        config = config or Config()
        rules: list[Rule] = list(DETECTORS) if config.use_default else []
        rules.extend(config.rules)
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.engine = Engine(self.rules, markers=(CANDIDATE_MARKER, KUBERNETES_MARKER))
        self.allowlists: tuple[CompiledAllowlist, ...] = tuple(a.compiled() for a in config.allowlists)
        self.decode_depth = decode_depth

    def skip_path(self, path: str) -> bool:
        return any(a.allows_path(path) for a in self.allowlists)

    def matches(self, data: bytes, depth: int = 0) -> list[Match]:
        found, markers = self.engine.scan_with_markers(data)
        if depth < self.decode_depth and 0 in markers:
            for run in encoded_runs(data):
                for inner in self.matches(run.text, depth + 1):
                    encoding = run.encoding + ("+" + inner.encoding if inner.encoding else "")
                    found.append(Match(inner.rule, run.start, run.end, inner.secret, encoding))
        if depth == 0 and 1 in markers:
            found.extend(self._kubernetes(data))
        return resolve_overlaps(found)

    def _kubernetes(self, data: bytes) -> list[Match]:
        out: list[Match] = []
        for key, value, start, end in kubernetes_secret_values(data):
            inner = [m for m in self.engine.scan(f"{key}={value.decode('utf-8', 'replace')}\n".encode())
                     if not m.rule.generic]
            if inner:
                out.extend(Match(m.rule, start, end, m.secret, "kubernetes") for m in inner)
                continue
            text = value.decode("utf-8", "replace").strip()
            if len(text) >= 8 and shannon_entropy(text) >= _KUBERNETES_RULE.entropy and not (
                is_placeholder(text) or is_reference(text)
            ):
                out.append(Match(_KUBERNETES_RULE, start, end, text, "kubernetes"))
        return out

    def find(self, data: bytes, path: str = "") -> list[Finding]:
        """Findings in one file's content, inline allow comments applied, allowlists not yet."""
        text = normalise(data)
        if text is None:
            return []
        return self.findings(text, self.matches(text), path)

    @staticmethod
    def findings(text: bytes, matches: Sequence[Match], path: str = "") -> list[Finding]:
        """`matches` in `text` as findings, those on a line with an inline allow comment left out."""
        findings = []
        for m in matches:
            finding = _finding(text, m, path)
            if not any(tag in finding.line.encode() for tag in INLINE_ALLOW):
                findings.append(finding)
        return findings

    def allowed(self, finding: Finding) -> bool:
        """True if an allowlist accepts the finding (by path, commit, secret regex or stopword)."""
        return any(a.allows(finding.rule_id, finding.secret, finding.file, finding.commit) for a in self.allowlists)

    def scan(self, data: bytes, path: str = "", commit: str = "") -> list[Finding]:
        """Findings in one file's content; allowlists and inline allow comments applied."""
        found = self.find(data, path)
        if not self.allowlists:
            return found
        return [f for f in found if not any(a.allows(f.rule_id, f.secret, path, commit) for a in self.allowlists)]


def _finding(text: bytes, m: Match, path: str) -> Finding:
    line_start = text.rfind(b"\n", 0, m.start) + 1
    line_end = text.find(b"\n", m.start)
    if line_end < 0:
        line_end = len(text)
    start_line = text.count(b"\n", 0, m.start) + 1
    end_line = start_line + text.count(b"\n", m.start, m.end)
    last_nl = text.rfind(b"\n", 0, m.end)
    end_column = m.end - (last_nl + 1 if last_nl >= m.start else line_start)
    return Finding(
        rule_id=m.rule.id,
        description=m.rule.description,
        file=path,
        start_line=start_line,
        end_line=end_line,
        start_column=m.start - line_start + 1,
        end_column=end_column,
        secret=m.secret,
        line=text[line_start:line_end].decode("utf-8", "replace").rstrip("\r")[:1000],
        entropy=round(shannon_entropy(m.secret), 3),
        encoding=m.encoding,
    )


def with_commit(
    findings: Sequence[Finding], *, commit: str, author: str, email: str, date: str, message: str
) -> list[Finding]:
    return [replace(f, commit=commit, author=author, email=email, date=date, message=message) for f in findings]
