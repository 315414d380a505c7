"""Storage behaviour: record round trips, the cost of a read, atomic writes, input helpers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.engines.kv.model import Config, KeyMetadata, VersionMeta
from strongroom.engines.kv.store import go_duration, parse_int, parse_signed_duration, parse_versions
from strongroom.sdk.errors import Fault, InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.storage import Write
from strongroom.storage.base import Also, Step, also_writes


def test_records_round_trip() -> None:
    meta = KeyMetadata(
        created_time=1.5, updated_time=2.25, current_version=2, oldest_version=1, max_versions=3,
        cas_required=True, delete_version_after=60, custom_metadata={"a": "b"},
        versions={1: VersionMeta(1.5, 9.0, True), 2: VersionMeta(2.25)}, current_metadata_version=4,
        metadata_cas_required=True,
    )
    assert KeyMetadata.load(meta.dump()) == meta
    config = Config(max_versions=4, cas_required=True, delete_version_after=-1)
    assert Config.load(config.dump()) == config
    assert Config.load(None) == Config()


def test_a_data_read_costs_two_gets(kv2: EngineHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    kv2.write("data/app", data={"a": "1"})
    gets: list[str] = []
    inner = kv2.storage.get
    monkeypatch.setattr(kv2.storage, "get", lambda key: gets.append(key) or inner(key))
    kv2.read("data/app")
    assert len(gets) == 2


def test_a_data_write_is_one_atomic_update(kv2: EngineHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    kv2.write("config", max_versions=1)
    kv2.write("data/app", data={"a": "1"})
    updates: list[tuple[str, list[Write]]] = []
    inner = kv2.storage.update

    def record(key: str, step: Step, also: Also = ()) -> bytes | None:
        seen: list[Write] = []
        updates.append((key, seen))

        def recorded() -> list[Write]:
            seen.extend(also_writes(also))
            return seen

        return inner(key, step, recorded)

    monkeypatch.setattr(kv2.storage, "update", record)
    monkeypatch.setattr(kv2.storage, "batch", lambda writes: pytest.fail("unchecked batch"))
    monkeypatch.setattr(kv2.storage, "put", lambda key, value: pytest.fail("unbatched put"))
    kv2.write("data/app", data={"a": "2"})
    assert [(key, len(also)) for key, also in updates] == [("metadata/app", 2)]  # new version and trimmed one


def test_a_failed_update_leaves_the_key_unchanged(kv2: EngineHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    kv2.write("data/app", data={"a": "1"})
    before = dict(kv2.storage._data)

    def crash(key: str, step: Step, also: Also = ()) -> bytes | None:
        raise OSError("disk gone")

    monkeypatch.setattr(kv2.storage, "update", crash)
    with pytest.raises(OSError):
        kv2.write("data/app", data={"a": "2"})
    assert kv2.storage._data == before


def test_a_sibling_commit_between_read_and_write_is_kept(kv2: EngineHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another worker process changes the metadata just before our commit: the write's step works on the
    stored metadata, not on what the handler read earlier, so neither change is lost and nothing re-runs."""
    kv2.write("data/app", data={"a": "1"})
    calls: list[str] = []
    inner = kv2.storage.update

    def sibling_first(key: str, step: Step, also: Also = ()) -> bytes | None:
        calls.append(key)
        if len(calls) == 1:
            meta = KeyMetadata.load(kv2.storage.get("metadata/app") or b"")
            kv2.storage.put("metadata/app", replace(meta, custom_metadata={"by": "sibling"}).dump())
        return inner(key, step, also)

    monkeypatch.setattr(kv2.storage, "update", sibling_first)
    assert kv2.write("data/app", data={"a": "2"}).data["version"] == 2  # type: ignore[union-attr]
    assert calls == ["metadata/app"]
    meta = kv2.read("metadata/app").data  # type: ignore[union-attr]
    assert meta["custom_metadata"] == {"by": "sibling"} and meta["current_version"] == 2


def test_check_and_set_is_decided_on_the_stored_metadata(kv2: EngineHarness, monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A sibling wrote version 2 after this process last looked: cas=1 must lose, and nothing is written."""
    kv2.write("data/app", data={"a": "1"})
    inner = kv2.storage.update

    def sibling_first(key: str, step: Step, also: Also = ()) -> bytes | None:
        meta = KeyMetadata.load(kv2.storage.get("metadata/app") or b"")
        bumped, _ = meta.add_version(meta.updated_time + 1, None, Config())
        kv2.storage.put("metadata/app", bumped.dump())
        return inner(key, step, also)

    monkeypatch.setattr(kv2.storage, "update", sibling_first)
    with pytest.raises(InvalidRequest, match="check-and-set parameter did not match"):
        kv2.write("data/app", data={"a": "mine"}, options={"cas": 1})
    assert not any(key.endswith("/3") for key in kv2.storage._data)


def test_missing_version_data_is_a_fault(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    for key in list(kv2.storage._data):
        if key.startswith("versions/"):
            kv2.storage.delete(key)
    with pytest.raises(Fault):
        kv2.read("data/app")


def test_secret_values_are_not_in_metadata_records(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "canary-value"})
    assert b"canary-value" not in (kv2.storage.get("metadata/app") or b"")


def test_parse_helpers() -> None:
    assert [parse_int(v, "f") for v in (3, "4", 5.0, True)] == [3, 4, 5, 1]
    for bad in ("x", 1.5, None, [1]):
        with pytest.raises(InvalidRequest, match='field "f"'):
            parse_int(bad, "f")
    assert parse_versions(None) == []
    assert parse_versions(3) == [3]
    assert parse_versions("1,,2") == [1, 2]
    assert parse_versions(["1", 2]) == [1, 2]
    assert parse_signed_duration("-1m", "d") == -60
    assert parse_signed_duration("90s", "d") == 90
    assert [go_duration(s) for s in (0, -1, 3600, 61)] == ["0s", "-1s", "1h0m0s", "1m1s"]
