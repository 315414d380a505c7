"""Check the hash chain of a Strongroom audit log without a server.

Each line of the file is one JSON object carrying
  * `seq`: an integer, exactly one more than the previous line's;
  * `prev_hash`: the hex SHA-256 of the previous line's bytes exactly as stored, without its "\\n".
The first line has seq 1 and the genesis `prev_hash` (64 zeros): the server starts every file that way, after
a rotation too, so a file that starts otherwise lost its head. Any edited, inserted, reordered or deleted line
breaks a link, and the first broken link is reported by line number (1-based). The last line has no witness
in the file; an intact result gives its hash (`last_hash`) to keep elsewhere as the anchor of the tail.

This is pure (json + hashlib) so the CLI can verify a log offline without importing the server;
`strongroom.core.audit` writes the chain with the same rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

GENESIS_HASH = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class VerifyResult:
    """`ok` with the number of lines checked, or the first bad line and why."""

    ok: bool
    lines: int
    first_bad_line: int | None
    reason: str
    last_hash: str = ""  # SHA-256 of the last line when intact: anchor it elsewhere, the tail has no witness


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _fail(lines: int, number: int, reason: str) -> VerifyResult:
    return VerifyResult(ok=False, lines=lines, first_bad_line=number, reason=reason)


def _link(raw: bytes, number: int, prev: tuple[int, str] | None) -> tuple[tuple[int, str] | None, str, int]:
    """Check one line against the previous (seq, hash); return the new (seq, hash), or a reason and the number of
    the line at fault."""
    try:
        entry = json.loads(raw)
    except ValueError:
        return None, "not valid JSON", number
    if not isinstance(entry, dict):
        return None, "not a JSON object", number
    seq, prev_hash = entry.get("seq"), entry.get("prev_hash")
    if not isinstance(seq, int) or isinstance(seq, bool):
        return None, "missing or non-integer seq", number
    if not isinstance(prev_hash, str) or not _HEX64.fullmatch(prev_hash):
        return None, "missing or malformed prev_hash", number
    if prev is None and (seq != 1 or prev_hash != GENESIS_HASH):
        # Every file's chain starts at seq 1 from the genesis hash: anything else means its head was cut off.
        return None, "line 1 does not start a chain: earlier lines are missing", number
    if prev is not None:
        prev_seq, expected = prev
        if seq != prev_seq + 1:
            return None, f"seq {seq} follows {prev_seq}: an entry is missing or out of order", number
        if prev_hash != expected:
            # The sequence is unbroken, so the previous line itself was changed: name that line.
            return None, f"line {number - 1} was modified: line {number} recorded a different hash", number - 1
    return (seq, line_hash(raw)), "", number


def verify_bytes(content: bytes) -> VerifyResult:
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    prev: tuple[int, str] | None = None
    for number, raw in enumerate(lines, start=1):
        if raw.endswith(b"\r") or not raw.strip():
            return _fail(len(lines), number, "blank line or stray carriage return")
        nxt, reason, at_fault = _link(raw, number, prev)
        if nxt is None:
            return _fail(len(lines), at_fault, reason)
        prev = nxt
    if not content.endswith(b"\n") and content:
        return _fail(len(lines), len(lines), "last line is truncated (no trailing newline)")
    return VerifyResult(ok=True, lines=len(lines), first_bad_line=None, reason="",
                        last_hash=prev[1] if prev is not None else GENESIS_HASH)


def verify_file(path: str | Path) -> VerifyResult:
    """Verify the chain of an audit log file; raises OSError when it cannot be read."""
    return verify_bytes(Path(path).read_bytes())
