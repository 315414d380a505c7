"""Baseline of accepted findings, stored as hashes only (no secret, no line text).

Each entry keeps the finding's fingerprint (rule, path, secret) and a secret hash (rule, secret), so an
accepted secret stays accepted when its file is renamed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from strongroom.scanner.errors import BaselineError
from strongroom.scanner.scan import Finding

VERSION = 1




@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    secret_hashes: frozenset[str]

    def accepts(self, finding: Finding) -> bool:
        return finding.fingerprint in self.fingerprints or finding.secret_hash in self.secret_hashes

    def filter(self, findings: Sequence[Finding]) -> list[Finding]:
        return [f for f in findings if not self.accepts(f)]


def write_baseline(path: Path, findings: Sequence[Finding]) -> None:
    entries = sorted(
        ({"rule_id": f.rule_id, "file": f.file, "fingerprint": f.fingerprint, "secret_hash": f.secret_hash}
         for f in findings),
        key=lambda e: (e["file"], e["rule_id"], e["fingerprint"]),
    )
    path.write_text(json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n")


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text())
        entries = data["findings"]
        if data.get("version") != VERSION or not isinstance(entries, list):
            raise BaselineError(f"{path}: unsupported baseline version")
        return Baseline(
            frozenset(str(e["fingerprint"]) for e in entries),
            frozenset(str(e["secret_hash"]) for e in entries if e.get("secret_hash")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from exc
