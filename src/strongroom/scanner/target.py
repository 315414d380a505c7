"""What the sources hand to the scanner: a file's content to scan and the commit that introduced it.

Free of pygit2, so that the whole-history scan's main process, which reads packs itself, never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str
    message: str

    @classmethod
    def of(cls, commit: Any) -> Commit:
        """From a `pygit2.Commit`."""
        when = datetime.fromtimestamp(commit.author.time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = (commit.message or "").split("\n", 1)[0][:200]
        return cls(str(commit.id), commit.author.name, commit.author.email, when, message)


@dataclass(frozen=True)
class Target:
    """One file's content to scan. `lines`, when set, limits reporting to those (added) line numbers."""

    path: str
    read: Callable[[], bytes]
    size: int
    commit: Commit | None = None
    lines: frozenset[int] | None = field(default=None)
    origin: str = ""  # the file on disk, for targets that worker processes may read themselves
