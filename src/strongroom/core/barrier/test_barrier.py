from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from strongroom.core.barrier.barrier import KEYRING_PATH, Barrier, BarrierError
from strongroom.crypto.aead import generate_key
from strongroom.sdk.errors import Fault, Sealed
from strongroom.storage.base import Put
from strongroom.storage.memory import InMemoryBackend
from strongroom.storage.sqlite import SQLiteBackend


@pytest.fixture
def unsealed() -> tuple[Barrier, bytes]:
    barrier = Barrier(InMemoryBackend())
    key = generate_key()
    barrier.initialize(key, 1.0)
    barrier.unseal(key)
    return barrier, key


def test_values_are_encrypted_at_rest_and_read_back(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, _ = unsealed
    barrier.put("logical/x/secret", b"hunter2-canary")
    raw = barrier.physical.get("logical/x/secret")
    assert raw is not None and b"hunter2-canary" not in raw
    assert barrier.get("logical/x/secret") == b"hunter2-canary"
    assert barrier.list("logical/x/") == ["secret"]


def test_a_blob_moved_to_another_path_does_not_open(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, _ = unsealed
    barrier.put("a/one", b"value")
    barrier.physical.put("b/two", barrier.physical.get("a/one") or b"")
    with pytest.raises(Fault):
        barrier.get("b/two")


def test_a_tampered_blob_fails(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, key = unsealed
    barrier.put("a/one", b"value")
    blob = bytearray(barrier.physical.get("a/one") or b"")
    blob[-1] ^= 1
    barrier.physical.put("a/one", bytes(blob))
    fresh = Barrier(barrier.physical)  # a new process: nothing cached
    fresh.unseal(key)
    with pytest.raises(Fault):
        fresh.get("a/one")


def _two_processes(tmp_path: Path) -> tuple[Barrier, Barrier]:
    """Two unsealed barriers over one SQLite file, as two server processes have."""
    key = generate_key()
    first = Barrier(SQLiteBackend(tmp_path / "shared.db"))
    first.initialize(key, 1.0)
    first.unseal(key)
    second = Barrier(SQLiteBackend(tmp_path / "shared.db"))
    second.unseal(key)
    return first, second


def test_processes_sharing_sqlite_see_each_others_writes(tmp_path: Path) -> None:
    first, second = _two_processes(tmp_path)
    changes: list[str] = []
    second.on_external_change.append(lambda: changes.append("changed"))
    first.put("k", b"one")
    second.sync()
    assert second.get("k") == b"one"
    first.put("k", b"two")
    assert second.get("k") == b"one"  # cached until the next sync
    second.sync()
    assert second.get("k") == b"two" and changes == ["changed", "changed"]
    second.sync()
    assert changes == ["changed", "changed"]  # nothing new, caches kept


def test_sealed_barrier_refuses_everything_and_touches_no_storage(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, _ = unsealed
    barrier.seal()

    class Exploding(InMemoryBackend):
        def get(self, key: str) -> bytes | None:
            raise AssertionError("storage touched while sealed")

        list = put = delete = get  # type: ignore[assignment]

    barrier.physical = Exploding()
    for call in (lambda: barrier.get("a"), lambda: barrier.put("a", b"v"), lambda: barrier.delete("a"),
                 lambda: barrier.list(""), lambda: barrier.batch([Put("a", b"v")])):
        with pytest.raises(Sealed):
            call()


def test_wrong_unseal_key_is_refused() -> None:
    barrier = Barrier(InMemoryBackend())
    barrier.initialize(generate_key(), 1.0)
    with pytest.raises(BarrierError):
        barrier.unseal(generate_key())
    assert barrier.sealed


def test_rotation_keeps_old_entries_readable_and_survives_reopen(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, key = unsealed
    barrier.put("old", b"written under term 1")
    assert barrier.rotate(2.0) == 2
    barrier.put("new", b"written under term 2")
    assert (barrier.physical.get("new") or b"")[1:5] == (2).to_bytes(4, "big")
    reopened = Barrier(barrier.physical)
    reopened.unseal(key)
    assert reopened.get("old") == b"written under term 1"
    assert reopened.get("new") == b"written under term 2"
    assert reopened.keyring().active.number == 2


def test_another_process_rotation_is_picked_up(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, key = unsealed
    other = Barrier(barrier.physical)
    other.unseal(key)
    other.rotate(3.0)
    other.put("from-other", b"v")
    assert barrier.get("from-other") == b"v"


def test_initialize_twice_is_refused(unsealed: tuple[Barrier, bytes]) -> None:
    barrier, _ = unsealed
    assert barrier.physical.get(KEYRING_PATH) is not None
    with pytest.raises(BarrierError):
        barrier.initialize(generate_key(), 1.0)



def test_only_the_changed_entries_are_dropped_and_data_changes_tell_no_listener(tmp_path: Path) -> None:
    first, second = _two_processes(tmp_path)
    changes: list[str] = []
    second.on_external_change.append(lambda: changes.append("changed"))
    first.batch([Put("logical/m/a", b"a1"), Put("logical/m/b", b"b1")])
    second.sync()
    assert (second.get("logical/m/a"), second.get("logical/m/b")) == (b"a1", b"b1")
    with sqlite3.connect(tmp_path / "shared.db") as raw:  # behind the change log: only a re-read would see it
        raw.execute("UPDATE entries SET value = ? WHERE key = ?", (b"not a sealed blob", "logical/m/b"))
    first.put("logical/m/a", b"a2")
    second.sync()
    assert (second.get("logical/m/a"), second.get("logical/m/b")) == (b"a2", b"b1")
    assert changes == []  # data prefixes: no listener caches them
    second.put("sys/policy/own", b"p")
    second.sync()
    assert changes == []  # this process's own writes tell no listener
    first.put("sys/policy/theirs", b"p")
    second.sync()
    assert changes == ["changed"] and second.get("sys/policy/theirs") == b"p"


def test_take_opens_the_entry_once_even_when_a_sibling_cached_it(tmp_path: Path) -> None:
    first, second = _two_processes(tmp_path)
    first.put("sys/wrapping/t", b"the wrapped reply")
    assert second.get("sys/wrapping/t") == b"the wrapped reply"  # now in the sibling's cache
    assert first.take("sys/wrapping/t") == b"the wrapped reply"
    assert second.take("sys/wrapping/t") is None  # the take bypasses the stale cache
    assert first.get("sys/wrapping/t") is None and first.take("sys/wrapping/t") is None
    first.seal()
    with pytest.raises(Sealed):
        first.take("sys/wrapping/t")


def test_update_sees_the_stored_value_not_a_stale_cache(tmp_path: Path) -> None:
    first, second = _two_processes(tmp_path)
    first.put("uses", b"2")
    assert second.get("uses") == b"2"  # cached by the sibling
    assert first.update("uses", lambda v: str(int(v or b"0") - 1).encode()) == b"1"
    assert second.update("uses", lambda v: str(int(v or b"0") - 1).encode()) == b"0"  # from storage, not "2"
    assert first.update("uses", lambda v: None) is None and second.update("uses", lambda v: v) is None
    first.seal()
    with pytest.raises(Sealed):
        first.update("uses", lambda v: v)
