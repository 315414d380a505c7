from __future__ import annotations

import json

import pytest

from strongroom.core.policy import (
    DEFAULT_POLICY_TEXT,
    PolicyError,
    PolicyParseError,
    PolicyStore,
)
from strongroom.sdk.errors import Fault
from strongroom.sdk.storage import InMemoryStorage, StorageView

READ_KV = 'path "kv/*" { capabilities = ["read"] }'


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage()


@pytest.fixture
def store(storage: InMemoryStorage) -> PolicyStore:
    return PolicyStore(StorageView(storage, "sys/policy/"))


def test_builtins_always_exist(store: PolicyStore) -> None:
    assert store.list() == ["default", "root"]
    default = store.get("default")
    assert default is not None and default.text == DEFAULT_POLICY_TEXT
    root = store.get("root")
    assert root is not None and root.name == "root" and root.rules == ()


def test_put_get_round_trip_keeps_text(store: PolicyStore) -> None:
    policy = store.put("dev", READ_KV)
    assert store.get("dev") == policy
    assert policy.text == READ_KV


def test_names_are_normalised(store: PolicyStore) -> None:
    store.put("  Dev ", READ_KV)
    assert store.list() == ["default", "dev", "root"]
    assert store.get("DEV") is not None
    assert store.get("\uff44ev") is not None  # full-width "d"


def test_stored_as_json_record(storage: InMemoryStorage, store: PolicyStore) -> None:
    store.put("dev", READ_KV)
    raw = storage.get("sys/policy/acl/dev")
    assert raw is not None
    assert json.loads(raw) == {"name": "dev", "text": READ_KV}


def test_odd_names_are_escaped_in_storage(store: PolicyStore) -> None:
    for name in ["team/app", "..", "a b", "x%2Fy"]:
        store.put(name, READ_KV)
        assert store.get(name) is not None
    assert store.list() == ["..", "a b", "default", "root", "team/app", "x%2fy"]


def test_missing_policy_is_none(store: PolicyStore) -> None:
    assert store.get("nope") is None


def test_default_is_editable_and_survives_delete_attempts(store: PolicyStore) -> None:
    store.put("default", READ_KV)
    edited = store.get("default")
    assert edited is not None and edited.text == READ_KV
    with pytest.raises(PolicyError, match="cannot delete default policy"):
        store.delete("Default")


def test_delete_then_get(store: PolicyStore) -> None:
    store.put("dev", READ_KV)
    store.delete("dev")
    assert store.get("dev") is None
    assert store.list() == ["default", "root"]
    store.delete("dev")  # deleting a missing policy is not an error


@pytest.mark.parametrize("name", ["root", "ROOT", " root ", "\uff52oot"])
def test_root_cannot_be_written(store: PolicyStore, name: str) -> None:
    with pytest.raises(PolicyError, match='cannot update "root" policy'):
        store.put(name, READ_KV)


@pytest.mark.parametrize("name", ["root", "Root"])
def test_root_cannot_be_deleted(store: PolicyStore, name: str) -> None:
    with pytest.raises(PolicyError, match='cannot delete "root" policy'):
        store.delete(name)


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_rejected(store: PolicyStore, name: str) -> None:
    with pytest.raises(PolicyError, match="policy name missing"):
        store.put(name, READ_KV)
    with pytest.raises(PolicyError, match="policy name missing"):
        store.delete(name)


def test_invalid_text_changes_nothing(store: PolicyStore) -> None:
    store.put("dev", READ_KV)
    with pytest.raises(PolicyParseError, match='invalid capability "bogus"'):
        store.put("dev", 'path "a" { capabilities = ["bogus"] }')
    with pytest.raises(PolicyParseError, match="policy text is empty"):
        store.put("dev", "")
    policy = store.get("dev")
    assert policy is not None and policy.text == READ_KV


def test_acl_for_merges_named_policies(store: PolicyStore) -> None:
    store.put("reader", READ_KV)
    store.put("writer", 'path "kv/*" { capabilities = ["update"] }')
    acl = store.acl_for(["reader", "Writer", "missing"])
    assert acl.capabilities("kv/x") == {"read", "update"}
    assert acl.check("kv/x", "update").granting_policies == ("writer",)


def test_acl_for_root(store: PolicyStore) -> None:
    assert store.acl_for(["root"]).is_root
    assert store.acl_for([" ROOT "]).is_root


def test_acl_for_default_uses_builtin(store: PolicyStore) -> None:
    assert store.acl_for(["default"]).check("auth/token/lookup-self", "read").allowed


def test_acl_cache_hits_and_is_invalidated_by_writes(store: PolicyStore) -> None:
    store.put("dev", READ_KV)
    first = store.acl_for(["dev", "default"])
    assert store.acl_for(["default", "dev"]) is first  # order does not matter
    store.put("dev", 'path "kv/*" { capabilities = ["deny"] }')
    assert store.acl_for(["dev"]).capabilities("kv/x") == {"deny"}
    store.delete("dev")
    assert store.acl_for(["dev"]).capabilities("kv/x") == {"deny"}
    assert not store.acl_for(["dev"]).check("kv/x", "read").allowed


def test_invalidate_picks_up_writes_from_another_process(storage: InMemoryStorage) -> None:
    here, there = PolicyStore(storage), PolicyStore(storage)
    here.put("dev", READ_KV)
    assert there.acl_for(["dev"]).check("kv/x", "read").allowed
    here.put("dev", 'path "kv/*" { capabilities = ["deny"] }')
    assert there.acl_for(["dev"]).check("kv/x", "read").allowed  # stale until told
    there.invalidate()
    assert not there.acl_for(["dev"]).check("kv/x", "read").allowed


def test_get_reads_through_the_cache(storage: InMemoryStorage) -> None:
    here, there = PolicyStore(storage), PolicyStore(storage)
    here.put("dev", READ_KV)
    there.acl_for(["dev"])
    here.put("dev", 'path "x" {}')
    policy = there.get("dev")
    assert policy is not None and policy.text == 'path "x" {}'


def test_acl_cache_is_bounded(store: PolicyStore) -> None:
    store.put("dev", READ_KV)
    for i in range(1100):
        store.acl_for(["dev", f"missing{i}"])
    assert store.acl_for(["dev"]).check("kv/x", "read").allowed


@pytest.mark.parametrize("raw", [b"not json", b'{"name": "dev"}', b'{"name": "dev", "text": "path {"}', b"[]"])
def test_corrupt_stored_policy_is_a_fault(storage: InMemoryStorage, raw: bytes) -> None:
    storage.put("acl/dev", raw)
    store = PolicyStore(storage)
    with pytest.raises(Fault, match="stored policy 'dev' is unreadable"):
        store.get("dev")
    with pytest.raises(Fault):
        store.acl_for(["dev"])


class RacingStorage(InMemoryStorage):
    """Runs `during_get` inside the next read: a write from another thread landing mid-build."""

    def __init__(self) -> None:
        super().__init__()
        self.during_get: list[PolicyStore] = []

    def get(self, key: str) -> bytes | None:
        value = super().get(key)
        while self.during_get:
            self.during_get.pop().put("dev", 'path "kv/*" { capabilities = ["deny"] }')
        return value


def test_acl_built_while_a_write_lands_is_not_cached() -> None:
    storage = RacingStorage()
    store = PolicyStore(storage)
    store.put("dev", READ_KV)
    storage.during_get.append(store)
    assert store.acl_for(["dev"]).check("kv/x", "read").allowed  # built from the text read before the write
    assert not store.acl_for(["dev"]).check("kv/x", "read").allowed  # ...but never served again
