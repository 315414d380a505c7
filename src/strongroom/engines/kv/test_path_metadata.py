from __future__ import annotations

import pytest

from strongroom.engines.kv.model import version_key
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.storage import list_recursive

from .conftest import START

LIVE = {"created_time": START, "deletion_time": "", "destroyed": False}


def test_read_shows_settings_and_every_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.clock.advance(1)
    kv2.write("data/app", data={"a": "2"})
    assert kv2.read("metadata/app").data == {
        "cas_required": False,
        "created_time": START,
        "current_metadata_version": 0,
        "current_version": 2,
        "custom_metadata": None,
        "delete_version_after": "0s",
        "max_versions": 0,
        "metadata_cas_required": False,
        "oldest_version": 0,
        "updated_time": "2027-01-15T08:00:01.000000Z",
        "versions": {"1": LIVE, "2": {**LIVE, "created_time": "2027-01-15T08:00:01.000000Z"}},
    }


def test_read_of_missing_key_is_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.read("metadata/nope")
    with pytest.raises(NotFound):
        kv2.read("metadata/")


def test_write_sets_settings_and_returns_204(kv2: EngineHarness) -> None:
    response = kv2.write("metadata/app", max_versions=3, cas_required=True, delete_version_after="1h",
                         custom_metadata={"owner": "team-a"})
    assert response.is_empty()
    data = kv2.read("metadata/app").data
    assert data is not None
    assert (data["max_versions"], data["cas_required"], data["delete_version_after"]) == (3, True, "1h0m0s")
    assert data["custom_metadata"] == {"owner": "team-a"}
    assert (data["current_version"], data["versions"], data["current_metadata_version"]) == (0, {}, 1)


def test_write_without_settings_is_a_no_op(kv2: EngineHarness) -> None:
    assert kv2.write("metadata/app").is_empty()
    with pytest.raises(NotFound):
        kv2.read("metadata/app")


def test_write_replaces_custom_metadata(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", custom_metadata={"a": "1", "b": "2"})
    kv2.write("metadata/app", custom_metadata={"c": 3, "d": True})
    assert kv2.read("metadata/app").data["custom_metadata"] == {"c": "3", "d": "1"}  # type: ignore[index]


def test_cas_required_false_under_mount_cas_warns(kv2: EngineHarness) -> None:
    kv2.write("config", cas_required=True)
    response = kv2.write("metadata/app", cas_required=False)
    assert response.warnings == [
        '"cas_required" set to false, but is mandated by backend config. This value will be ignored.'
    ]


def test_invalid_settings_are_rejected(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="max_versions"):
        kv2.write("metadata/app", max_versions=-1)
    with pytest.raises(InvalidRequest, match="delete_version_after"):
        kv2.write("metadata/app", delete_version_after=-5)
    with pytest.raises(InvalidRequest, match='field "max_versions"'):
        kv2.write("metadata/app", max_versions="many")
    with pytest.raises(InvalidRequest, match='field "custom_metadata"'):
        kv2.write("metadata/app", custom_metadata="not json")


def test_custom_metadata_limits_give_openbao_errors(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest) as caught:
        kv2.write("metadata/app", custom_metadata={f"k{i}": "v" for i in range(65)})
    assert caught.value.message == (
        "1 error occurred:\n\t* custom_metadata validation failed: payload must contain at most 64 keys, "
        "provided 65\n\n"
    )
    with pytest.raises(InvalidRequest) as caught:
        kv2.write("metadata/app", custom_metadata={"k" * 129: "canary-value", "ok": ""})
    assert caught.value.message.startswith("2 errors occurred:\n\t* custom_metadata validation failed: length of")
    assert "canary-value" not in caught.value.message


def test_patch_merges_custom_metadata_and_keeps_other_settings(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", max_versions=4, custom_metadata={"owner": "a", "env": "dev", "drop": "x"})
    assert kv2.patch("metadata/app", custom_metadata={"env": "prod", "drop": None}).is_empty()
    data = kv2.read("metadata/app").data
    assert data is not None
    assert data["custom_metadata"] == {"owner": "a", "env": "prod"}
    assert data["max_versions"] == 4
    assert data["current_metadata_version"] == 2


def test_patch_with_null_custom_metadata_clears_it(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", custom_metadata={"owner": "a"})
    kv2.patch("metadata/app", custom_metadata=None)
    assert kv2.read("metadata/app").data["custom_metadata"] is None  # type: ignore[index]


def test_patch_of_missing_key_is_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.patch("metadata/nope", max_versions=2)


def test_metadata_cas(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", metadata_cas_required=True)
    with pytest.raises(InvalidRequest, match="metadata check-and-set parameter required"):
        kv2.write("metadata/app", max_versions=2)
    with pytest.raises(InvalidRequest, match="did not match"):
        kv2.patch("metadata/app", max_versions=2, metadata_cas=0)
    kv2.patch("metadata/app", max_versions=2, metadata_cas=1)
    assert kv2.read("metadata/app").data["max_versions"] == 2  # type: ignore[index]


def test_delete_removes_every_version_and_the_metadata(kv2: EngineHarness) -> None:
    for i in range(3):
        kv2.write("data/app", data={"i": i})
    kv2.write("data/keep", data={"k": 1})
    assert kv2.delete("metadata/app").is_empty()
    with pytest.raises(NotFound):
        kv2.read("data/app")
    assert all(kv2.storage.get(version_key("app", n)) is None for n in (1, 2, 3))
    assert list_recursive(kv2.storage) == ["metadata/keep", version_key("keep", 1)]
    assert kv2.delete("metadata/app").is_empty()


def test_list_shows_keys_and_folders_sorted(kv2: EngineHarness) -> None:
    for path in ("b", "a", "a/x", "a/y/z", "c/d"):
        kv2.write(f"data/{path}", data={"v": 1})
    assert kv2.list("metadata/").data == {"keys": ["a", "a/", "b", "c/"]}
    assert kv2.list("metadata").data == {"keys": ["a", "a/", "b", "c/"]}
    assert kv2.list("metadata/a").data == {"keys": ["x", "y/"]}
    assert kv2.list("metadata/a/").data == {"keys": ["x", "y/"]}


def test_list_pagination(kv2: EngineHarness) -> None:
    for path in ("a", "b", "c", "d"):
        kv2.write(f"data/{path}", data={"v": 1})
    assert kv2.list("metadata/", after="a", limit=2).data == {"keys": ["b", "c"]}


def test_list_of_empty_folder_is_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.list("metadata/")
    kv2.write("data/a", data={"v": 1})
    with pytest.raises(NotFound):
        kv2.list("metadata/zzz/")


def test_listed_keys_include_soft_deleted_and_metadata_only(kv2: EngineHarness) -> None:
    kv2.write("data/gone", data={"v": 1})
    kv2.delete("data/gone")
    kv2.write("metadata/empty", max_versions=1)
    assert kv2.list("metadata/").data == {"keys": ["empty", "gone"]}


def test_write_and_patch_need_a_path(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="missing path"):
        kv2.write("metadata/", max_versions=1)
    with pytest.raises(InvalidRequest, match="missing path"):
        kv2.patch("metadata/", max_versions=1)
