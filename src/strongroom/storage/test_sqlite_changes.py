"""The change log behind `poll_changes`: which keys were committed, by this backend or another one."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from strongroom.storage.base import Delete, Put
from strongroom.storage.sqlite import SQLiteBackend


def test_own_and_foreign_commits_name_their_keys(tmp_path: Path) -> None:
    first, second = SQLiteBackend(tmp_path / "c.db"), SQLiteBackend(tmp_path / "c.db")
    assert second.poll_changes() is None
    second.batch([Put("own/a", b"1"), Delete("own/b")])
    own = second.poll_changes()
    assert own is not None and own.keys == {"own/a", "own/b"} and not own.foreign
    assert second.poll_changes() is None
    first.put("theirs/x", b"2")
    theirs = second.poll_changes()
    assert theirs is not None and theirs.keys == {"theirs/x"} and theirs.foreign
    first.close()
    second.close()


def test_a_change_is_reported_once_whichever_thread_polls(tmp_path: Path) -> None:
    first, second = SQLiteBackend(tmp_path / "t.db"), SQLiteBackend(tmp_path / "t.db")
    seen: list[object] = []

    def poll() -> None:
        seen.append(second.poll_changes())

    for _ in range(2):  # connections of other threads, as a request thread pool has
        thread = threading.Thread(target=poll)
        thread.start()
        thread.join()
    first.put("k", b"v")
    thread = threading.Thread(target=poll)
    thread.start()
    thread.join()
    changes = seen[-1]
    assert changes is not None and changes.keys == {"k"}  # type: ignore[attr-defined]
    assert second.poll_changes() is None  # already reported, from the other thread
    first.close()
    second.close()


def test_a_huge_commit_or_a_pruned_log_means_everything(tmp_path: Path) -> None:
    first, second = SQLiteBackend(tmp_path / "h.db"), SQLiteBackend(tmp_path / "h.db")
    second.poll_changes()
    first.batch([Put(f"k{i}", b"v") for i in range(1500)])
    huge = second.poll_changes()
    assert huge is not None and huge.keys is None and huge.foreign
    first.put("a", b"1")
    first.put("b", b"2")
    with sqlite3.connect(tmp_path / "h.db") as conn:
        conn.execute("DELETE FROM changes WHERE seq = (SELECT min(seq) FROM changes WHERE keys = ?)", (b'["a"]',))
    pruned = second.poll_changes()
    assert pruned is not None and pruned.keys is None
    first.close()
    second.close()
