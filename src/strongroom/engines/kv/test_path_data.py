from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound, UnsupportedOperation
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.request import Operation, Request

from .conftest import START


def envelope(version: int, deletion_time: str = "", destroyed: bool = False) -> dict[str, object]:
    return {"created_time": START, "custom_metadata": None, "deletion_time": deletion_time,
            "destroyed": destroyed, "version": version}


def test_write_returns_the_version_metadata_envelope(kv2: EngineHarness) -> None:
    assert kv2.write("data/app", data={"a": "1"}).data == envelope(1)
    assert kv2.write("data/app", data={"a": "2"}).data == envelope(2)


def test_read_returns_latest_or_requested_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.write("data/app", data={"a": "2", "nested": {"k": [1, 2]}})
    assert kv2.read("data/app").data == {"data": {"a": "2", "nested": {"k": [1, 2]}}, "metadata": envelope(2)}
    assert kv2.read("data/app", version=1).data == {"data": {"a": "1"}, "metadata": envelope(1)}
    assert kv2.read("data/app", version="1").data == {"data": {"a": "1"}, "metadata": envelope(1)}


def test_read_of_missing_key_or_version_is_a_bare_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.read("data/nope")
    kv2.write("data/app", data={"a": "1"})
    with pytest.raises(NotFound):
        kv2.read("data/app", version=9)


def test_invalid_version_numbers_are_rejected(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    with pytest.raises(InvalidRequest, match="version"):
        kv2.read("data/app", version=-1)
    with pytest.raises(InvalidRequest, match='field "version"'):
        kv2.read("data/app", version="one")


def test_body_must_wrap_the_secret_in_data(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match=r"^no data provided$"):
        kv2.write("data/app", a="1")


def test_non_object_data_is_rejected_without_echoing_it(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest) as caught:
        kv2.write("data/app", data=["canary-s3cret"])
    assert 'field "data"' in caught.value.message
    assert "canary" not in caught.value.message


def test_empty_object_is_a_valid_version(kv2: EngineHarness) -> None:
    assert kv2.write("data/app", data={}).data == envelope(1)
    assert kv2.read("data/app").data["data"] == {}  # type: ignore[index]


def test_existence_check_decides_create_versus_update(kv2: EngineHarness) -> None:
    request = Request(operation=Operation.UPDATE, path="data/app", data={"data": {}})
    assert kv2.backend.exists(request) is False
    kv2.write("data/app", data={"a": "1"})
    assert kv2.backend.exists(request) is True


def test_cas_zero_writes_only_if_absent(kv2: EngineHarness) -> None:
    assert kv2.write("data/app", data={"a": "1"}, options={"cas": 0}).data == envelope(1)
    with pytest.raises(InvalidRequest, match=r"^check-and-set parameter did not match the current version$"):
        kv2.write("data/app", data={"a": "2"}, options={"cas": 0})


def test_cas_must_match_the_current_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    with pytest.raises(InvalidRequest, match="did not match"):
        kv2.write("data/app", data={"a": "2"}, options={"cas": 2})
    assert kv2.write("data/app", data={"a": "2"}, options={"cas": "1"}).data == envelope(2)
    assert kv2.read("data/app").data["data"] == {"a": "2"}  # type: ignore[index]


def test_unparseable_cas_is_rejected(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match=r"^error parsing check-and-set parameter$"):
        kv2.write("data/app", data={"a": "1"}, options={"cas": "x"})
    with pytest.raises(InvalidRequest, match='field "options"'):
        kv2.write("data/app", data={"a": "1"}, options=[1])


def test_cas_required_by_mount_config(kv2: EngineHarness) -> None:
    kv2.write("config", cas_required=True)
    with pytest.raises(InvalidRequest, match=r"^check-and-set parameter required for this call$"):
        kv2.write("data/app", data={"a": "1"})
    assert kv2.write("data/app", data={"a": "1"}, options={"cas": 0}).data == envelope(1)


def test_cas_required_by_key_metadata(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.write("metadata/app", cas_required=True)
    with pytest.raises(InvalidRequest, match="required"):
        kv2.write("data/app", data={"a": "2"})
    kv2.write("data/other", data={"a": "1"})  # other keys are unaffected


def test_unknown_fields_produce_a_warning(kv2: EngineHarness) -> None:
    response = kv2.write("data/app", data={"a": "1"}, role_name="x")
    assert response.warnings == ["Endpoint ignored these unrecognized parameters: [role_name]"]


def test_soft_delete_gives_404_with_the_metadata_body(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.clock.advance(2)
    assert kv2.delete("data/app").is_empty()
    response = kv2.read("data/app")
    assert response.status == 404
    assert response.data == {"data": None, "metadata": envelope(1, deletion_time="2027-01-15T08:00:02.000000Z")}


def test_delete_of_missing_or_already_deleted_is_a_no_op(kv2: EngineHarness) -> None:
    assert kv2.delete("data/nope").is_empty()
    kv2.write("data/app", data={"a": "1"})
    kv2.delete("data/app")
    kv2.clock.advance(5)
    kv2.delete("data/app")
    assert kv2.read("data/app").data["metadata"]["deletion_time"] == START  # type: ignore[index]


def test_delete_only_touches_the_latest_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.write("data/app", data={"a": "2"})
    kv2.delete("data/app")
    assert kv2.read("data/app", version=1).data["data"] == {"a": "1"}  # type: ignore[index]


def test_writing_after_delete_creates_a_live_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.delete("data/app")
    assert kv2.write("data/app", data={"a": "2"}).data == envelope(2)
    assert kv2.read("data/app").status is None


def test_list_on_data_is_not_supported(kv2: EngineHarness) -> None:
    with pytest.raises(UnsupportedOperation):
        kv2.list("data/")


def test_patch_merges_into_the_latest_version(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1", "keep": "k", "obj": {"x": 1, "y": 2}})
    assert kv2.patch("data/app", data={"b": "x", "a": None, "obj": {"y": None, "z": 3}}).data == envelope(2)
    assert kv2.read("data/app").data["data"] == {"keep": "k", "b": "x", "obj": {"x": 1, "z": 3}}  # type: ignore[index]


def test_patch_of_missing_key_is_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.patch("data/nope", data={"a": "1"})


def test_patch_requires_data(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    with pytest.raises(InvalidRequest, match=r"^no data provided$"):
        kv2.patch("data/app", b="2")


def test_patch_honours_cas(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    with pytest.raises(InvalidRequest, match="did not match"):
        kv2.patch("data/app", data={"b": "2"}, options={"cas": 5})
    assert kv2.patch("data/app", data={"b": "2"}, options={"cas": 1}).data == envelope(2)


def test_patch_of_deleted_latest_version_is_404_with_flat_metadata(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": "1"})
    kv2.delete("data/app")
    response = kv2.patch("data/app", data={"b": "2"})
    assert response.status == 404
    assert response.data == envelope(1, deletion_time=START)


def test_patch_of_metadata_only_key_is_404(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", max_versions=3)
    with pytest.raises(NotFound):
        kv2.patch("data/app", data={"a": "1"})


def test_write_on_metadata_only_key_starts_at_version_one(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", custom_metadata={"owner": "team-a"})
    response = kv2.write("data/app", data={"a": "1"}, options={"cas": 0})
    assert response.data == {**envelope(1), "custom_metadata": {"owner": "team-a"}}


def test_delete_version_after_expires_versions_with_the_clock(kv2: EngineHarness) -> None:
    kv2.write("config", delete_version_after="1h")
    response = kv2.write("data/app", data={"a": "1"})
    assert response.data["deletion_time"] == "2027-01-15T09:00:00.000000Z"  # type: ignore[index]
    kv2.clock.advance(3599)
    assert kv2.read("data/app").status is None
    kv2.clock.advance(1)
    assert kv2.read("data/app").status == 404


def test_key_delete_version_after_uses_the_smaller_of_mount_and_key(kv2: EngineHarness) -> None:
    kv2.write("config", delete_version_after="2h")
    kv2.write("metadata/app", delete_version_after="30m")
    assert kv2.write("data/app", data={"a": 1}).data["deletion_time"] == "2027-01-15T08:30:00.000000Z"  # type: ignore[index]
    kv2.write("metadata/other", delete_version_after="3h")
    assert kv2.write("data/other", data={"a": 1}).data["deletion_time"] == "2027-01-15T10:00:00.000000Z"  # type: ignore[index]


def test_negative_mount_delete_version_after_disables_expiry(kv2: EngineHarness) -> None:
    kv2.write("config", delete_version_after="-1s")
    kv2.write("metadata/app", delete_version_after="30m")
    assert kv2.write("data/app", data={"a": 1}).data["deletion_time"] == ""  # type: ignore[index]


def test_missing_path_is_rejected_on_write(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="missing path"):
        kv2.write("data/", data={"a": 1})
