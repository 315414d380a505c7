"""What is particular to SQLite: group commit from many threads, failure isolation, and sharing the file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from strongroom.storage.base import Put
from strongroom.storage.sqlite import SQLiteBackend


def test_concurrent_writers_share_commits_and_lose_nothing(tmp_path: Path) -> None:
    store = SQLiteBackend(tmp_path / "s.db")

    def writer(n: int) -> None:
        for i in range(40):
            store.batch([Put(f"t{n}/k{i}", f"{n}-{i}".encode()), Put(f"t{n}/last", str(i).encode())])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n in range(8):
        assert len(store.list(f"t{n}/")) == 41
        assert store.get(f"t{n}/last") == b"39"
    assert store.commits <= 8 * 40
    store.close()
    reopened = SQLiteBackend(tmp_path / "s.db")
    assert reopened.get("t7/k39") == b"7-39"
    reopened.close()


def test_a_failing_batch_writes_nothing_and_reports_the_error(tmp_path: Path) -> None:
    store = SQLiteBackend(tmp_path / "s.db")
    with pytest.raises(sqlite3.IntegrityError):
        store.batch([Put("a", b"1"), Put("b", None)])  # type: ignore[arg-type]
    assert store.get("a") is None
    store.put("c", b"3")
    assert store.get("c") == b"3"
    store.close()


def test_another_connection_sees_writes_and_data_version_moves(tmp_path: Path) -> None:
    first, second = SQLiteBackend(tmp_path / "s.db"), SQLiteBackend(tmp_path / "s.db")
    before = second.data_version()
    first.put("k", b"v")
    assert second.get("k") == b"v"
    assert second.data_version() != before
    first.close()
    second.close()


def test_take_is_atomic_across_backends_sharing_the_file(tmp_path: Path) -> None:
    # Two backends on one file stand for two server processes: each has its own writer and connections.
    first, second = SQLiteBackend(tmp_path / "s.db"), SQLiteBackend(tmp_path / "s.db")
    try:
        for n in range(30):
            first.put(f"w/{n}", b"wrapped")
            assert second.get(f"w/{n}") == b"wrapped"
        got: list[bytes | None] = []
        lock = threading.Lock()

        def drain(backend: SQLiteBackend) -> None:
            for n in range(30):
                value = backend.take(f"w/{n}")
                with lock:
                    got.append(value)

        threads = [threading.Thread(target=drain, args=(b,)) for b in (first, second, first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert got.count(b"wrapped") == 30 and got.count(None) == 90
        changes = second.poll_changes()
        assert changes is not None and changes.keys is not None and "w/0" in changes.keys  # siblings drop caches
    finally:
        first.close()
        second.close()


def test_update_is_atomic_across_backends_and_a_failing_step_writes_nothing(tmp_path: Path) -> None:
    first, second = SQLiteBackend(tmp_path / "s.db"), SQLiteBackend(tmp_path / "s.db")
    try:
        def bump(current: bytes | None) -> bytes:
            return str(int(current or b"0") + 1).encode()

        def worker(backend: SQLiteBackend) -> None:
            for _ in range(40):
                backend.update("uses", bump)

        threads = [threading.Thread(target=worker, args=(b,)) for b in (first, second, first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert second.get("uses") == b"160"

        def broken(current: bytes | None) -> bytes:
            raise RuntimeError("step failed")

        with pytest.raises(RuntimeError, match="step failed"):
            first.update("uses", broken)
        assert first.get("uses") == b"160"
        first.batch([Put("after", b"ok")])  # the writer carries on
        assert second.get("after") == b"ok"
    finally:
        first.close()
        second.close()
