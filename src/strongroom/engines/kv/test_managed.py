"""The values a KV mount offers to sys/scan/fingerprints: live versions only, nested fields dotted."""

from __future__ import annotations

from strongroom.engines.kv.managed import string_fields
from strongroom.sdk.framework import ManagedValue
from strongroom.sdk.framework.testing import EngineHarness


def values(kv: EngineHarness) -> list[tuple[str, int, str, str]]:
    return [(m.path, m.version, m.field, m.value) for m in kv.backend.managed_values()]


def test_string_fields_walk_nested_maps_and_lists() -> None:
    data = {"user": "app", "n": 5, "ok": True, "none": None,
            "db": {"password": "pw-1", "replicas": [{"password": "pw-2"}, "pw-3"]}}
    assert list(string_fields(data)) == [
        ("user", "app"), ("db.password", "pw-1"), ("db.replicas.0.password", "pw-2"), ("db.replicas.1", "pw-3"),
    ]


def test_every_live_version_of_every_key_is_listed(kv2: EngineHarness) -> None:
    kv2.write("data/apps/db", data={"password": "first"})
    kv2.write("data/apps/db", data={"password": "second", "extra": {"token": "nested"}})
    kv2.write("data/apps", data={"key": "folder-and-leaf"})  # a key that is also a folder
    assert values(kv2) == [
        ("apps", 1, "key", "folder-and-leaf"),
        ("apps/db", 1, "password", "first"),
        ("apps/db", 2, "password", "second"),
        ("apps/db", 2, "extra.token", "nested"),
    ]


def test_soft_deleted_and_destroyed_versions_are_left_out(kv2: EngineHarness) -> None:
    for value in ("one", "two", "three", "four"):
        kv2.write("data/app", data={"v": value})
    kv2.write("delete/app", versions=[1])
    kv2.write("destroy/app", versions=[3])
    assert values(kv2) == [("app", 2, "v", "two"), ("app", 4, "v", "four")]
    kv2.write("undelete/app", versions=[1])
    assert values(kv2) == [("app", 1, "v", "one"), ("app", 2, "v", "two"), ("app", 4, "v", "four")]


def test_deleting_the_latest_version_and_the_key(kv2: EngineHarness) -> None:
    kv2.write("data/gone", data={"v": "old"})
    kv2.write("data/kept", data={"v": "kept"})
    kv2.delete("data/kept")  # soft-deletes the latest version
    assert values(kv2) == [("gone", 1, "v", "old")]
    kv2.delete("metadata/gone")
    assert values(kv2) == []


def test_a_version_is_live_until_its_delete_version_after_passes(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", delete_version_after="1h")
    kv2.write("data/app", data={"v": "expiring"})
    assert values(kv2) == [("app", 1, "v", "expiring")]
    kv2.clock.advance(3600)
    assert values(kv2) == []


def test_versions_trimmed_by_max_versions_are_gone(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", max_versions=2)
    for value in ("one", "two", "three"):
        kv2.write("data/app", data={"v": value})
    assert values(kv2) == [("app", 2, "v", "two"), ("app", 3, "v", "three")]


def test_kv1_secrets_are_version_zero(kv1: EngineHarness) -> None:
    kv1.write("apps/db", password="hunter2-long", port=5432, nested={"key": "inner"})
    kv1.write("apps/db/replica", password="other")
    kv1.write("top", ttl="1h")
    assert values(kv1) == [
        ("apps/db", 0, "password", "hunter2-long"),
        ("apps/db", 0, "nested.key", "inner"),
        ("apps/db/replica", 0, "password", "other"),
        ("top", 0, "ttl", "1h"),
    ]
    kv1.delete("apps/db")
    assert [v[0] for v in values(kv1)] == ["apps/db/replica", "top"]


def test_values_are_read_at_each_call_not_cached(kv1: EngineHarness) -> None:
    assert values(kv1) == []
    kv1.write("a", v="now-present")
    assert values(kv1) == [("a", 0, "v", "now-present")]


def test_the_value_never_shows_in_a_repr() -> None:
    assert "s3cret-value" not in repr(ManagedValue("p", 1, "f", "s3cret-value"))


def test_a_key_deleted_during_the_walk_is_skipped(kv2: EngineHarness, kv1: EngineHarness) -> None:
    """The walk lists keys once, then reads each: a key removed in between is left out, not a fault."""
    kv2.write("data/a", data={"v": "first-value"})
    kv2.write("data/b", data={"v": "second-value"})
    kv1.write("a", v="first-value")
    kv1.write("b", v="second-value")
    for kv, remove in ((kv2, "metadata/b"), (kv1, "b")):
        walk = kv.backend.managed_values()
        assert next(walk).path == "a"  # the listing is taken by now
        kv.delete(remove)
        assert list(walk) == []
