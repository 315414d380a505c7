"""SQLite backend, the embedded default.

WAL journal with synchronous=FULL: a write returns only after its transaction is fsync'd, so an acknowledged
write survives a crash. Writes go through one writer thread that commits every write waiting at that moment in
one transaction (group commit): one fsync serves many concurrent requests, each request's batch stays atomic.
Reads use one connection per thread. Several server processes may share the file; SQLite serialises them,
and their writer threads take turns on a lock file first, because SQLite's own busy handler sleeps and polls
(up to 100 ms a try) while a blocked `flock` wakes the moment the other commit ends.

Every commit also appends the keys it wrote to a `changes` log (one row per commit, tagged with the backend
instance that wrote it), so a process caching decrypted entries can drop exactly what others changed:
`poll_changes()` is one `PRAGMA data_version` on the calling thread's connection when nothing changed.
"""

from __future__ import annotations

import builtins
import fcntl
import os
import queue
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from strongroom.storage.base import Also, Delete, Put, Step, Write, also_writes, children, prefix_upper_bound

_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"
_CHANGES_SCHEMA = ("CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, "
                   "keys BLOB NOT NULL)")
_MAX_GROUP = 256
_CHANGES_KEPT = 20_000  # rows of the change log kept; a reader further behind drops its whole cache
_CHANGED_KEYS_MAX = 1_000  # a commit writing more keys is logged as "everything changed"
_EVERYTHING = b"*"


@dataclass(frozen=True, slots=True)
class Changes:
    """What other connections committed since the last poll. `keys` is None when the log cannot tell (a huge
    commit, or the log was pruned past the last poll): assume everything changed. `foreign` is True when
    another backend instance (another server process) made some of the changes."""

    keys: frozenset[str] | None
    foreign: bool


@dataclass
class _Job:
    writes: list[Write]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    take: bool = False  # the one write is a Delete whose old value is wanted (`taken`)
    step: Step | None = None  # `step_key` gets step(current) along with `writes`; `taken` is the new value
    step_key: str = ""
    also: Also = ()  # a step's other writes, resolved into `writes` right after the step
    taken: bytes | None = None


def _connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class SQLiteBackend:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.origin = os.urandom(8).hex()
        conn = self._conn()
        conn.execute(_SCHEMA)
        conn.execute(_CHANGES_SCHEMA)
        self._seen_seq = int(conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
        self._seen_lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self.commits = 0

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    # --- reads -------------------------------------------------------------------------------------------
    def data_version(self) -> int:
        """Changes whenever another connection (another process or thread) commits: cheap cache coherence."""
        return int(self._conn().execute("PRAGMA data_version").fetchone()[0])

    def poll_changes(self) -> Changes | None:
        """The keys committed by any connection (this process's writer included) since the last poll; None if
        nothing was. Each thread's connection notices a commit through its own data_version."""
        conn = self._conn()
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if getattr(self._local, "version", None) == version:
            return None
        self._local.version = version
        with self._seen_lock:
            rows = conn.execute("SELECT seq, origin, keys FROM changes WHERE seq > ? ORDER BY seq",
                                (self._seen_seq,)).fetchall()
            if not rows:
                return None
            complete = rows[0][0] == self._seen_seq + 1
            self._seen_seq = rows[-1][0]
        foreign = any(row[1] != self.origin for row in rows)
        if not complete or any(row[2] == _EVERYTHING for row in rows):
            return Changes(None, foreign)
        keys: set[str] = set()
        for row in rows:
            keys.update(orjson.loads(row[2]))
        return Changes(frozenset(keys), foreign)

    def get(self, key: str) -> bytes | None:
        row = self._conn().execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def list(self, prefix: str) -> list[str]:
        rows = self._conn().execute(
            "SELECT key FROM entries WHERE key >= ? AND key < ?", (prefix, prefix_upper_bound(prefix))
        ).fetchall()
        return children((row[0] for row in rows), prefix)

    # --- writes: group commit ---------------------------------------------------------------------------
    def put(self, key: str, value: bytes) -> None:
        self._submit([Put(key, value)])

    def delete(self, key: str) -> None:
        self._submit([Delete(key)])

    def batch(self, writes: Iterable[Write]) -> None:
        self._submit(list(writes))

    def take(self, key: str) -> bytes | None:
        # Inside the writer's BEGIN IMMEDIATE (and its turn on the lock file): no other process can take it too.
        return self._submit([Delete(key)], take=True).taken

    def update(self, key: str, step: Step, also: Also = ()) -> bytes | None:
        return self._submit([], step=step, step_key=key, also=also).taken

    def _submit(self, writes: builtins.list[Write], *, take: bool = False, step: Step | None = None,
                step_key: str = "", also: Also = ()) -> _Job:
        job = _Job(writes, take=take, step=step, step_key=step_key, also=also)
        if not writes and step is None:
            return job
        self._start_writer()
        self._jobs.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job

    def _start_writer(self) -> None:
        if self._writer is None:
            with self._lock:
                if self._writer is None:
                    self._writer = threading.Thread(target=self._write_loop, name="sqlite-writer", daemon=True)
                    self._writer.start()

    def _write_loop(self) -> None:
        conn = _connect(self.path)
        turn = os.open(self.path + ".writelock", os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            first = self._jobs.get()
            if first is None:
                conn.close()
                os.close(turn)
                return
            group: builtins.list[_Job] = [first]
            while len(group) < _MAX_GROUP:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)  # finish this group, then stop
                    break
                group.append(job)
            fcntl.flock(turn, fcntl.LOCK_EX)  # our turn among the processes sharing the file
            try:
                self._commit(conn, group)
            finally:
                fcntl.flock(turn, fcntl.LOCK_UN)

    @staticmethod
    def _apply(conn: sqlite3.Connection, writes: builtins.list[Write]) -> None:
        for write in writes:
            if isinstance(write, Put):
                conn.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (write.key, write.value))
            else:
                conn.execute("DELETE FROM entries WHERE key = ?", (write.key,))

    @classmethod
    def _step(cls, conn: sqlite3.Connection, job: _Job, step: Step) -> None:
        key = job.step_key
        row = conn.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        try:
            new = step(None if row is None else bytes(row[0]))
            job.writes = also_writes(job.also)
        except Exception as exc:  # the step refused (or failed): this job writes nothing, the group goes on
            job.error = exc
            return
        cls._apply(conn, job.writes)
        if new is None:
            conn.execute("DELETE FROM entries WHERE key = ?", (key,))
        else:
            conn.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, new))
        job.taken = new

    def _commit(self, conn: sqlite3.Connection, group: builtins.list[_Job]) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            for index, job in enumerate(group):
                # A savepoint per job: one job's failure does not take the others down with it.
                conn.execute(f"SAVEPOINT job{index}")
                try:
                    if job.take:
                        row = conn.execute("DELETE FROM entries WHERE key = ? RETURNING value",
                                           (job.writes[0].key,)).fetchone()
                        job.taken = None if row is None else bytes(row[0])
                    elif job.step is not None:
                        self._step(conn, job, job.step)
                    else:
                        self._apply(conn, job.writes)
                    conn.execute(f"RELEASE job{index}")
                except sqlite3.Error as exc:
                    conn.execute(f"ROLLBACK TO job{index}")
                    conn.execute(f"RELEASE job{index}")
                    job.error = exc
            self._log_changes(conn, group)
            conn.execute("COMMIT")
            self.commits += 1
        except BaseException as exc:  # the commit itself failed: nothing in the group was written
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for job in group:
                job.error = job.error or exc
        for job in group:
            job.done.set()

    def _log_changes(self, conn: sqlite3.Connection, group: builtins.list[_Job]) -> None:
        keys = [key for job in group if job.error is None
                for key in [*(write.key for write in job.writes), *([job.step_key] if job.step_key else [])]]
        if not keys:
            return
        logged = orjson.dumps(keys) if len(keys) <= _CHANGED_KEYS_MAX else _EVERYTHING
        conn.execute("INSERT INTO changes (origin, keys) VALUES (?, ?)", (self.origin, logged))
        if self.commits % 1000 == 999:
            conn.execute("DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?", (_CHANGES_KEPT,))

    def close(self) -> None:
        if self._writer is not None:
            self._jobs.put(None)
            self._writer.join(timeout=30)
            self._writer = None
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
