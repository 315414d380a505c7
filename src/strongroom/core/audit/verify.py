"""Check an audit file's hash chain (`strongroom audit verify FILE`), streaming, one line in memory at a time.

`verify_file(path)` returns a `VerifyResult`: `ok`, the number of `lines` read, the 1-based
`first_bad_line` and a human `reason`. It names the first broken link: an edited line (the next line's
`prev_hash` no longer matches it), lines missing (a seq gap), lines out of order, a line that starts a
chain in the middle of the file or does not start one at line 1, an unparseable line, or a truncated last
line. An edit of, or deletion after, the very last line leaves no witness in the file and cannot be seen, so
an intact result also gives `last_hash`, the SHA-256 of the last line: kept somewhere else (shipped with the
log, noted by a monitor), it anchors the tail, and a later run whose chain does not pass through it shows the
edit or the truncation.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from strongroom.core.audit.chain import START, ZERO_HASH, Link, line_hash


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    lines: int
    first_bad_line: int | None
    reason: str
    last_hash: str = ""  # of the last line, when the chain is intact (zeros for an empty file)


class _Broken(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def verify_file(path: str | os.PathLike[str]) -> VerifyResult:
    with open(path, "rb") as stream:
        return verify_lines(stream)


def verify_lines(lines: Iterable[bytes]) -> VerifyResult:
    """Verify raw lines, each with its line ending (as iterating a binary file yields them)."""
    read = [0]  # lines consumed so far, including one peeked at while diagnosing

    def counted() -> Iterator[tuple[int, bytes]]:
        for raw in lines:
            read[0] += 1
            yield read[0], raw

    numbered = counted()
    link = START
    try:
        for number, raw in numbered:
            link = _check(number, raw, link, numbered)
    except _Broken as broken:
        for _ in numbered:
            pass
        return VerifyResult(False, read[0], broken.line, broken.reason)
    return VerifyResult(True, read[0], None, f"{read[0]} lines, chain intact", link.hash)


def _check(number: int, raw: bytes, previous: Link, rest: Iterator[tuple[int, bytes]]) -> Link:
    """The link after line `number`, or `_Broken` naming the first bad line."""
    seq, prev_hash, line = _parse(number, raw)
    expected = previous.seq + 1
    if prev_hash == previous.hash:
        if seq != expected:
            raise _Broken(number, f"line {number} has seq {seq}, expected {expected}")
        return Link(seq, line_hash(line))
    if number == 1:
        raise _Broken(1, "line 1 does not start a chain: earlier lines are missing")
    if prev_hash == ZERO_HASH:
        raise _Broken(number, f"line {number} starts a new chain in the middle of the file")
    if seq == expected:
        raise _Broken(number - 1, f"line {number - 1} was modified: line {number} recorded a different hash")
    if seq > expected and _next_seq(rest) == expected:
        raise _Broken(number, f"line {number} is out of order (seq {seq}, expected {expected})")
    if seq > expected:
        raise _Broken(number, f"lines are missing before line {number} (seq jumps from {previous.seq} to {seq})")
    raise _Broken(number, f"line {number} is out of order or repeated (seq {seq}, expected {expected})")


def _parse(number: int, raw: bytes) -> tuple[int, str, bytes]:
    if not raw.endswith(b"\n"):
        raise _Broken(number, f"line {number} is truncated (no line ending)")
    line = raw[:-1]
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise _Broken(number, f"line {number} is not valid JSON") from None
    seq = entry.get("seq") if isinstance(entry, dict) else None
    prev_hash = entry.get("prev_hash") if isinstance(entry, dict) else None
    if type(seq) is not int or not isinstance(prev_hash, str):
        raise _Broken(number, f"line {number} carries no seq and prev_hash")
    return seq, prev_hash, line


def _next_seq(rest: Iterator[tuple[int, bytes]]) -> int | None:
    """Peek at the following line's seq (consuming it; the caller only counts what remains)."""
    for number, raw in rest:
        try:
            return _parse(number, raw)[0]
        except _Broken:
            return None
    return None
