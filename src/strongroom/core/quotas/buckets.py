"""Per-client request windows for rate-limit quotas, in this process or shared by the server's processes.

A window is Vault's (go-limiter's) fixed interval: the first request opens it for `interval` seconds with
`limit` tokens; when it ends the next request opens a new one. A client refused while a quota has a
`block_interval` is blocked for that long, whatever its window says.

`MemoryBuckets` serves one process. `SQLiteBuckets` keeps the windows in a small SQLite file beside the
storage and takes each token inside one `BEGIN IMMEDIATE` transaction, so N worker processes share one
window per client and together never admit more than the quota's rate. That file is not the barrier: it holds
only quota ids, client addresses and counters, is written without fsync (`synchronous=OFF`: a crash may forget
a window, which only lets a client start afresh), and is never read for anything else.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PURGE_INTERVAL = 60.0
State = tuple[float, int, float]  # (window end, tokens used, blocked until)


@dataclass(frozen=True)
class Decision:
    """`reset` and `retry_after` are whole seconds from now (Retry-After, X-Ratelimit-Reset)."""

    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int


def step(state: State | None, limit: int, interval: float, block: float, now: float) -> tuple[State, Decision]:
    """One request against a client's window: the new state and the answer."""
    window_end, used, blocked_until = state or (0.0, 0, 0.0)
    if blocked_until > now:
        wait = math.ceil(blocked_until - now)
        return (window_end, used, blocked_until), Decision(False, limit, 0, wait, wait)
    if now >= window_end:
        window_end, used = now + interval, 0
    reset = max(1, math.ceil(window_end - now))
    if used < limit:
        return (window_end, used + 1, 0.0), Decision(True, limit, limit - used - 1, reset, 0)
    if block > 0:
        wait = max(1, math.ceil(block))
        return (window_end, used, now + block), Decision(False, limit, 0, reset, wait)
    return (window_end, used, 0.0), Decision(False, limit, 0, reset, reset)


class Buckets(Protocol):
    def take(self, key: str, limit: int, interval: float, block: float, now: float) -> Decision:
        """Spend one token of `key`'s window (or refuse)."""
        ...


class MemoryBuckets:
    def __init__(self) -> None:
        self._states: dict[str, State] = {}
        self._lock = threading.Lock()
        self._last_purge = 0.0

    def take(self, key: str, limit: int, interval: float, block: float, now: float) -> Decision:
        with self._lock:
            if now - self._last_purge > PURGE_INTERVAL:
                self._last_purge = now
                self._states = {k: s for k, s in self._states.items() if s[0] > now or s[2] > now}
            state, decision = step(self._states.get(key), limit, interval, block, now)
            self._states[key] = state
            return decision


_SCHEMA = ("CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, window_end REAL NOT NULL, "
           "used INTEGER NOT NULL, blocked_until REAL NOT NULL) WITHOUT ROWID")


class SQLiteBuckets:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._last_purge = 0.0
        self._conn().execute(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn

    def take(self, key: str, limit: int, interval: float, block: float, now: float) -> Decision:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT window_end, used, blocked_until FROM windows WHERE key = ?",
                               (key,)).fetchone()
            state, decision = step(None if row is None else (row[0], row[1], row[2]), limit, interval, block, now)
            conn.execute("INSERT OR REPLACE INTO windows VALUES (?, ?, ?, ?)", (key, *state))
            if now - self._last_purge > PURGE_INTERVAL:
                self._last_purge = now
                conn.execute("DELETE FROM windows WHERE window_end < ? AND blocked_until < ?", (now, now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return decision
