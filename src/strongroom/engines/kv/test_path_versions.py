from __future__ import annotations

import pytest

from strongroom.engines.kv.model import version_key
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

from .conftest import START


def three_versions(kv2: EngineHarness) -> None:
    for i in (1, 2, 3):
        kv2.write("data/app", data={"v": i})


def deletion(kv2: EngineHarness, version: int) -> str:
    return kv2.read("metadata/app").data["versions"][str(version)]["deletion_time"]  # type: ignore[index,no-any-return]


def test_delete_versions_soft_deletes_the_named_ones(kv2: EngineHarness) -> None:
    three_versions(kv2)
    assert kv2.write("delete/app", versions=[1, 3]).is_empty()
    assert kv2.read("data/app", version=1).status == 404
    assert kv2.read("data/app", version=2).data["data"] == {"v": 2}  # type: ignore[index]
    assert kv2.read("data/app").status == 404
    assert kv2.storage.get(version_key("app", 1)) is not None  # soft: the data is kept


def test_versions_accepts_a_comma_separated_string(kv2: EngineHarness) -> None:
    three_versions(kv2)
    kv2.write("delete/app", versions="1, 2")
    assert (deletion(kv2, 1), deletion(kv2, 2), deletion(kv2, 3)) == (START, START, "")


def test_versions_are_required(kv2: EngineHarness) -> None:
    three_versions(kv2)
    for verb, text in (("delete", "No version"), ("undelete", "No version"), ("destroy", "no version")):
        with pytest.raises(InvalidRequest, match=f"^{text} number provided$"):
            kv2.write(f"{verb}/app")
        with pytest.raises(InvalidRequest, match="number provided"):
            kv2.write(f"{verb}/app", versions=[])


def test_invalid_version_numbers_are_rejected(kv2: EngineHarness) -> None:
    three_versions(kv2)
    with pytest.raises(InvalidRequest, match='field "versions"'):
        kv2.write("delete/app", versions=["one"])
    with pytest.raises(InvalidRequest, match="invalid version number"):
        kv2.write("destroy/app", versions=[-1])
    with pytest.raises(InvalidRequest, match='field "versions"'):
        kv2.write("undelete/app", versions=[{"v": 1}])


def test_unknown_versions_and_keys_are_ignored(kv2: EngineHarness) -> None:
    three_versions(kv2)
    assert kv2.write("delete/app", versions=[7]).is_empty()
    assert kv2.write("delete/nope", versions=[1]).is_empty()
    assert kv2.write("undelete/nope", versions=[1]).is_empty()
    assert kv2.write("destroy/nope", versions=[1]).is_empty()


def test_undelete_restores_versions(kv2: EngineHarness) -> None:
    three_versions(kv2)
    kv2.write("delete/app", versions=[1, 3])
    assert kv2.write("undelete/app", versions=[1, 3]).is_empty()
    assert kv2.read("data/app").data["data"] == {"v": 3}  # type: ignore[index]
    assert kv2.read("data/app", version=1).data["metadata"]["deletion_time"] == ""  # type: ignore[index]


def test_undelete_recomputes_delete_version_after_from_now(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", delete_version_after="10m")
    kv2.write("data/app", data={"v": 1})
    kv2.clock.advance(3600)
    assert kv2.read("data/app").status == 404
    kv2.write("undelete/app", versions=[1])
    assert deletion(kv2, 1) == "2027-01-15T09:10:00.000000Z"
    assert kv2.read("data/app").status is None


def test_destroy_removes_data_and_reads_404_with_destroyed_true(kv2: EngineHarness) -> None:
    three_versions(kv2)
    assert kv2.write("destroy/app", versions=[2]).is_empty()
    assert kv2.storage.get(version_key("app", 2)) is None
    response = kv2.read("data/app", version=2)
    assert response.status == 404
    assert response.data == {"data": None, "metadata": {
        "created_time": START, "custom_metadata": None, "deletion_time": "", "destroyed": True, "version": 2}}
    assert kv2.read("metadata/app").data["versions"]["2"]["destroyed"] is True  # type: ignore[index]


def test_destroyed_versions_cannot_be_undeleted_or_deleted(kv2: EngineHarness) -> None:
    three_versions(kv2)
    kv2.write("destroy/app", versions=[3])
    kv2.write("undelete/app", versions=[3])
    kv2.write("delete/app", versions=[3])
    kv2.delete("data/app")
    response = kv2.read("data/app")
    assert response.status == 404
    assert response.data["metadata"]["destroyed"] is True  # type: ignore[index]
    assert response.data["metadata"]["deletion_time"] == ""  # type: ignore[index]


def test_destroy_of_a_deleted_version_keeps_its_deletion_time(kv2: EngineHarness) -> None:
    three_versions(kv2)
    kv2.write("delete/app", versions=[1])
    kv2.write("destroy/app", versions=[1])
    assert kv2.read("metadata/app").data["versions"]["1"] == {  # type: ignore[index]
        "created_time": START, "deletion_time": START, "destroyed": True}
