"""SQLite backend, the embedded default: WAL journal, synchronous=FULL so an acknowledged write survives a
crash, one connection per thread (several server processes may share the file)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from strongroom.storage.base import Put, Write, children, prefix_upper_bound

_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"


class SQLiteBackend:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self._conn() as conn:
            conn.execute(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def data_version(self) -> int:
        """Changes whenever another connection (another process or thread) commits: cheap cache coherence."""
        return int(self._conn().execute("PRAGMA data_version").fetchone()[0])

    def get(self, key: str) -> bytes | None:
        row = self._conn().execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put(self, key: str, value: bytes) -> None:
        self._conn().execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, value))

    def delete(self, key: str) -> None:
        self._conn().execute("DELETE FROM entries WHERE key = ?", (key,))

    def list(self, prefix: str) -> list[str]:
        rows = self._conn().execute(
            "SELECT key FROM entries WHERE key >= ? AND key < ?", (prefix, prefix_upper_bound(prefix))
        ).fetchall()
        return children((row[0] for row in rows), prefix)

    def batch(self, writes: Iterable[Write]) -> None:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for write in writes:
                if isinstance(write, Put):
                    conn.execute(
                        "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (write.key, write.value)
                    )
                else:
                    conn.execute("DELETE FROM entries WHERE key = ?", (write.key,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
