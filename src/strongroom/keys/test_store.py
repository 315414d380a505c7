from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from strongroom.conftest import run_at_once
from strongroom.keys import KeyService, NewKey
from strongroom.keys.store import KeyStore, check_name
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import Fault, InvalidRequest
from strongroom.sdk.storage import InMemoryStorage


def test_parsed_keys_are_reused_while_the_record_is_unchanged(service: KeyService) -> None:
    service.create("k", NewKey())
    first = service.get("k")
    assert service.get("k") is first
    service.rotate("k")
    assert service.get("k") is not first


def test_a_change_by_another_process_is_seen_on_the_next_use() -> None:
    shared, clock = InMemoryStorage(), FrozenClock()
    a, b = KeyService(shared, clock), KeyService(shared, clock)
    a.create("k", NewKey())
    _ciphertext, _ = b.encrypt(b.get("k"), b"x")  # type: ignore[arg-type]
    a.rotate("k")
    assert b.encrypt(b.get("k"), b"x")[1] == 2  # type: ignore[arg-type]
    a.delete("k", force=True)
    assert b.get("k") is None


def test_same_bytes_under_a_new_object_still_hit_the_cache() -> None:
    storage = InMemoryStorage()
    store = KeyStore(storage)
    service = KeyService(storage, FrozenClock())
    service.create("k", NewKey())
    ring = store.get("k")
    storage.put("policy/k", bytes(bytearray(storage.get("policy/k"))))  # type: ignore[arg-type]
    assert store.get("k") is ring


def test_corrupt_records_are_a_fault(storage: InMemoryStorage) -> None:
    storage.put("policy/k", b"not json")
    with pytest.raises(Fault):
        KeyStore(storage).get("k")


@pytest.mark.parametrize("name", ["", "a/b", "-a", "a-", "x" * 300, "a b", "../x"])
def test_bad_names(name: str) -> None:
    with pytest.raises(InvalidRequest):
        check_name(name)


def test_good_names() -> None:
    for name in ("a", "a.b-c_d", "K9"):
        check_name(name)


class _Between:
    """Storage that runs `meanwhile` once, right after the next read of `key`: another process (another
    KeyService with its own cache) changing the record between our read and our write."""

    def __init__(self, inner: InMemoryStorage, key: str) -> None:
        self.inner, self.key = inner, key
        self.meanwhile: Callable[[], object] | None = None

    def get(self, key: str) -> bytes | None:
        value = self.inner.get(key)
        if key == self.key and self.meanwhile is not None:
            run, self.meanwhile = self.meanwhile, None
            run()
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_rotation_never_overwrites_one_made_meanwhile_by_another_process() -> None:
    shared, clock = InMemoryStorage(), FrozenClock()
    racy = _Between(shared, "policy/k")
    a, b = KeyService(shared, clock), KeyService(racy, clock)  # type: ignore[arg-type]
    a.create("k", NewKey())
    racy.meanwhile = lambda: a.rotate("k")
    b.rotate("k")
    ring = a.get("k")
    assert ring is not None and ring.key.latest_version == 3
    materials = {v.material for v in ring.key.versions}
    assert len(materials) == 3  # a's version 2 was kept, b's rotation became version 3


def test_creating_one_name_at_once_yields_one_key_for_both() -> None:
    shared, clock = InMemoryStorage(), FrozenClock()
    racy = _Between(shared, "policy/k")
    a, b = KeyService(shared, clock), KeyService(racy, clock)  # type: ignore[arg-type]
    created_by_a: list[bool] = []
    racy.meanwhile = lambda: created_by_a.append(a.create("k", NewKey())[1])
    ring_b, created_by_b = b.create("k", NewKey())  # b read "absent", then a created the key
    assert created_by_a == [True] and created_by_b is False
    ciphertext, _ = a.encrypt(a.get("k"), b"secret")  # type: ignore[arg-type]
    assert b.decrypt(ring_b, ciphertext)[0] == b"secret"


def test_an_auto_rotation_due_in_two_processes_happens_once() -> None:
    shared, clock = InMemoryStorage(), FrozenClock()
    racy = _Between(shared, "policy/k")
    a, b = KeyService(shared, clock), KeyService(racy, clock)  # type: ignore[arg-type]
    a.create("k", NewKey(auto_rotate_period=3600))
    clock.advance(3601)
    racy.meanwhile = lambda: a.periodic(clock.now())  # a rotates after b's scan read the key as due
    b.periodic(clock.now())
    ring = a.get("k")
    assert ring is not None and ring.key.latest_version == 2


def test_concurrent_rotations_from_many_services_are_all_kept(racy_threads: None) -> None:
    shared, clock = InMemoryStorage(), FrozenClock()
    services = [KeyService(shared, clock) for _ in range(4)]
    services[0].create("k", NewKey())

    def rotate_many(service: KeyService) -> None:
        for _ in range(25):
            service.rotate("k")

    run_at_once(*(lambda s=s: rotate_many(s) for s in services))
    ring = services[0].get("k")
    assert ring is not None and ring.key.latest_version == 101
    assert [v.number for v in ring.key.versions] == list(range(1, 102))
