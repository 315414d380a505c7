from __future__ import annotations

import pytest

from strongroom.engines.kv import factory, is_versioned
from strongroom.sdk.errors import InvalidRequest, NotFound, UnsupportedOperation
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.request import Operation, Request


def test_write_is_204_and_read_returns_the_body(kv1: EngineHarness) -> None:
    assert kv1.write("app/db", user="u", password="p").is_empty()
    response = kv1.read("app/db")
    assert response.data == {"password": "p", "user": "u"}
    assert response.lease_duration == kv1.env.system.default_lease_ttl()
    assert response.lease_id == ""


def test_ttl_key_sets_lease_duration_and_stays_in_data(kv1: EngineHarness) -> None:
    kv1.write("app/ttl", v="1", ttl="30m")
    response = kv1.read("app/ttl")
    assert response.lease_duration == 1800
    assert response.data == {"v": "1", "ttl": "30m"}
    kv1.write("app/lease", v="1", lease=60)
    assert kv1.read("app/lease").lease_duration == 60
    kv1.write("app/bad", v="1", ttl="soon")
    assert kv1.read("app/bad").lease_duration == kv1.env.system.default_lease_ttl()


def test_no_unknown_field_warnings_for_free_form_bodies(kv1: EngineHarness) -> None:
    assert kv1.write("app/x", anything="goes").warnings == []


def test_body_field_named_path_is_kept(kv1: EngineHarness) -> None:
    kv1.backend.handle(Request(operation=Operation.CREATE, path="app/x", data={"path": "/etc/x"}))
    assert kv1.read("app/x").data == {"path": "/etc/x"}


def test_empty_body_is_rejected(kv1: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match=r"^missing data fields$"):
        kv1.write("app/db")
    with pytest.raises(InvalidRequest, match="missing path"):
        kv1.write("", a="1")


def test_overwrite_replaces_the_whole_secret(kv1: EngineHarness) -> None:
    kv1.write("app/db", a="1", b="2")
    kv1.write("app/db", c="3")
    assert kv1.read("app/db").data == {"c": "3"}


def test_existence_check(kv1: EngineHarness) -> None:
    request = Request(operation=Operation.UPDATE, path="app/db", data={"a": "1"})
    assert kv1.backend.exists(request) is False
    kv1.write("app/db", a="1")
    assert kv1.backend.exists(request) is True


def test_missing_secret_is_404_and_delete_is_idempotent(kv1: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv1.read("app/none")
    assert kv1.delete("app/none").is_empty()
    kv1.write("app/db", a="1")
    kv1.delete("app/db")
    with pytest.raises(NotFound):
        kv1.read("app/db")


def test_list_shows_children_with_folders_suffixed(kv1: EngineHarness) -> None:
    kv1.write("app/db", a="1")
    kv1.write("app/ttl", a="1")
    kv1.write("app/sub/x", a="1")
    kv1.write("top", a="1")
    assert kv1.list("app").data == {"keys": ["db", "sub/", "ttl"]}
    assert kv1.list("app/").data == {"keys": ["db", "sub/", "ttl"]}
    assert kv1.list("").data == {"keys": ["app/", "top"]}
    with pytest.raises(NotFound):
        kv1.list("nothing/")


def test_patch_is_not_supported(kv1: EngineHarness) -> None:
    kv1.write("app/db", a="1")
    with pytest.raises(UnsupportedOperation):
        kv1.patch("app/db", b="2")


def test_non_canonical_paths_are_refused(kv1: EngineHarness) -> None:
    for path in ("a/../b", "/abs", "a//b", "./a"):
        with pytest.raises(InvalidRequest, match="invalid path"):
            kv1.write(path, a="1")


@pytest.mark.parametrize(
    ("options", "versioned"),
    [
        ({}, False),
        ({"version": "1"}, False),
        ({"version": ""}, False),
        ({"version": "2"}, True),
        ({"version": 2}, True),
    ],
)
def test_mount_option_selects_the_version(options: dict[str, object], versioned: bool) -> None:
    assert is_versioned(options) is versioned
    harness = EngineHarness(factory, options=options)
    assert any(p.pattern == "config" for p in harness.backend.paths) is versioned
