"""The hash chain that makes an audit file tamper-evident (beyond Vault).

Every line is one JSON object ending in `"seq": N, "prev_hash": H` and a `\\n`. `seq` is 1 on the first line of
a file and grows by one per line; `prev_hash` is the hex SHA-256 of the previous line's bytes without its
line ending, or 64 zeros on the first line. Editing, deleting or reordering a line therefore breaks the link
into the next line; only the last line has no witness, so ship the log off the host to anchor the tail.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import orjson

from strongroom.crypto.hashing import sha256

ZERO_HASH = "0" * 64
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Link:
    """Where the chain stands: the seq and hash of the last line written (0 and zeros before any)."""

    seq: int
    hash: str

    def next_line(self, body: bytes) -> tuple[bytes, Link]:
        """Seal a serialised JSON object `{...}` into the next line; return it with the new link."""
        if not body.startswith(b"{") or not body.endswith(b"}") or len(body) < 3:
            raise ValueError("an audit entry must be a non-empty JSON object")
        seq = self.seq + 1
        line = body[:-1] + b',"seq":%d,"prev_hash":"%s"}' % (seq, self.hash.encode())
        return line + b"\n", Link(seq, line_hash(line))


START = Link(0, ZERO_HASH)


def line_hash(line: bytes) -> str:
    return sha256(line).hex()


def link_of(line: bytes) -> Link:
    """The link after `line`; a line that is not one of ours restarts the numbering."""
    try:
        seq = orjson.loads(line).get("seq")
    except (orjson.JSONDecodeError, AttributeError):
        seq = None
    return Link(seq if type(seq) is int else 0, line_hash(line))


def read_tail(fd: int, size: int) -> tuple[Link, int]:
    """The link after the last complete line of a file of `size` bytes, and where that line ends.

    A shorter end than `size` means a torn last line: an append that never completed, hence was never
    acknowledged (acknowledged lines are written whole and synced), which the caller truncates away.
    """
    if size == 0:
        return START, 0
    end = size if os.pread(fd, 1, size - 1) == b"\n" else _rfind_newline(fd, size) + 1
    if end == 0:
        return START, 0
    start = _rfind_newline(fd, end - 1) + 1
    return link_of(os.pread(fd, end - 1 - start, start)), end


def _rfind_newline(fd: int, before: int) -> int:
    """The offset of the last `\\n` strictly before `before`, or -1."""
    position = before
    while position > 0:
        begin = max(0, position - _CHUNK)
        found = os.pread(fd, position - begin, begin).rfind(b"\n")
        if found >= 0:
            return begin + found
        position = begin
    return -1
