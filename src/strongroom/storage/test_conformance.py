"""One suite every physical backend passes."""

from __future__ import annotations

import threading

import pytest

from strongroom.storage.base import Delete, PhysicalBackend, Put


def test_get_missing_is_none(backend: PhysicalBackend) -> None:
    assert backend.get("nope") is None


def test_put_get_overwrite_delete(backend: PhysicalBackend) -> None:
    backend.put("a/b", b"\x00\x01binary\xff")
    assert backend.get("a/b") == b"\x00\x01binary\xff"
    backend.put("a/b", b"two")
    assert backend.get("a/b") == b"two"
    backend.delete("a/b")
    assert backend.get("a/b") is None
    backend.delete("a/b")  # deleting a missing key is not an error


def test_list_returns_immediate_children_sorted(backend: PhysicalBackend) -> None:
    for key in ["p/b", "p/a", "p/dir/x", "p/dir/y/z", "q/other", "pa"]:
        backend.put(key, b"v")
    assert backend.list("p/") == ["a", "b", "dir/"]
    assert backend.list("p/dir/") == ["x", "y/"]
    assert backend.list("") == ["p/", "pa", "q/"]
    assert backend.list("missing/") == []


def test_list_prefix_is_not_a_pattern(backend: PhysicalBackend) -> None:
    backend.put("a%/x", b"1")
    backend.put("ab/x", b"1")
    backend.put("a_/x", b"1")
    assert backend.list("a%/") == ["x"]
    assert backend.list("a_/") == ["x"]


def test_batch_applies_all(backend: PhysicalBackend) -> None:
    backend.put("k/old", b"1")
    backend.batch([Put("k/new", b"2"), Delete("k/old"), Put("k/other", b"3")])
    assert backend.list("k/") == ["new", "other"]


class _Boom(Exception):
    pass


def _exploding_writes() -> object:
    yield Put("t/one", b"1")
    raise _Boom()


def test_batch_is_atomic_when_interrupted(backend: PhysicalBackend) -> None:
    backend.put("t/keep", b"0")
    with pytest.raises(_Boom):
        backend.batch(_exploding_writes())  # type: ignore[arg-type]
    assert backend.get("t/one") is None
    assert backend.get("t/keep") == b"0"


def test_unicode_keys(backend: PhysicalBackend) -> None:
    backend.put("ü/ключ", b"v")
    assert backend.list("ü/") == ["ключ"]


def test_take_returns_the_value_once(backend: PhysicalBackend) -> None:
    backend.put("once/a", b"secret")
    assert backend.take("once/a") == b"secret"
    assert backend.get("once/a") is None
    assert backend.take("once/a") is None
    assert backend.take("never") is None


def test_concurrent_takes_hand_the_value_to_exactly_one(backend: PhysicalBackend) -> None:
    for round_number in range(20):
        key = f"race/{round_number}"
        backend.put(key, b"v")
        got: list[bytes | None] = []
        start = threading.Barrier(4)

        def take(k: str, together: threading.Barrier, out: list[bytes | None]) -> None:
            together.wait()
            out.append(backend.take(k))

        threads = [threading.Thread(target=take, args=(key, start, got)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(got, key=lambda v: v is None) == [b"v", None, None, None]


def test_update_replaces_creates_and_deletes(backend: PhysicalBackend) -> None:
    assert backend.update("u/new", lambda current: (current or b"") + b"1") == b"1"
    assert backend.update("u/new", lambda current: (current or b"") + b"2") == b"12"
    assert backend.get("u/new") == b"12"
    assert backend.update("u/new", lambda current: None) is None
    assert backend.get("u/new") is None and backend.list("u/") == []


def test_concurrent_updates_lose_no_step(backend: PhysicalBackend) -> None:
    def bump(current: bytes | None) -> bytes:
        return str(int(current or b"0") + 1).encode()

    def worker() -> None:
        for _ in range(25):
            backend.update("counter", bump)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.get("counter") == b"100"


def test_update_applies_its_other_writes_together_and_a_refusing_step_writes_nothing(backend: PhysicalBackend) -> None:
    backend.put("meta", b"v1")
    backend.put("old", b"x")
    assert backend.update("meta", lambda current: b"v2", [Put("data/2", b"two"), Delete("old")]) == b"v2"
    assert (backend.get("meta"), backend.get("data/2"), backend.get("old")) == (b"v2", b"two", None)

    def refuse(current: bytes | None) -> bytes | None:
        raise LookupError("changed meanwhile")

    with pytest.raises(LookupError):
        backend.update("meta", refuse, [Put("data/3", b"three")])
    assert (backend.get("meta"), backend.get("data/3")) == (b"v2", None)
    backend.batch([Put("after", b"ok")])  # the backend carries on
    assert backend.get("after") == b"ok"


def test_concurrent_updates_with_writes_that_depend_on_the_step_lose_nothing(backend: PhysicalBackend) -> None:
    """`also` as a function: each step's other write names the number the step computed (a new version's key),
    and concurrent updaters of one key each get a number of their own."""
    def append() -> None:
        number: list[int] = []

        def step(current: bytes | None) -> bytes:
            number[:] = [int(current or b"0") + 1]
            return str(number[0]).encode()

        backend.update("seq", step, lambda: [Put(f"item/{number[0]}", b"x")])

    threads = [threading.Thread(target=lambda: [append() for _ in range(10)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.get("seq") == b"40"
    assert sorted(backend.list("item/"), key=int) == [str(n) for n in range(1, 41)]
