from __future__ import annotations

import pytest

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
