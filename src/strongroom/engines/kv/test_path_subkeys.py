from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness

SECRET = {"a": "1", "b": {"c": {"d": "2"}, "e": {}}, "f": [1, 2]}


def test_subkeys_replaces_leaves_with_null(kv2: EngineHarness) -> None:
    kv2.write("data/app", data=SECRET)
    data = kv2.read("subkeys/app").data
    assert data is not None
    assert data["subkeys"] == {"a": None, "b": {"c": {"d": None}, "e": None}, "f": None}
    assert data["metadata"]["version"] == 1


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (1, {"a": None, "b": None, "f": None}),
        (2, {"a": None, "b": {"c": None, "e": None}, "f": None}),
        (3, {"a": None, "b": {"c": {"d": None}, "e": None}, "f": None}),
    ],
)
def test_depth_limits_descent(kv2: EngineHarness, depth: int, expected: dict[str, object]) -> None:
    kv2.write("data/app", data=SECRET)
    assert kv2.read("subkeys/app", depth=depth).data["subkeys"] == expected  # type: ignore[index]


def test_version_selects_the_data(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"old": 1})
    kv2.write("data/app", data={"new": 1})
    assert kv2.read("subkeys/app", version=1).data["subkeys"] == {"old": None}  # type: ignore[index]


def test_missing_key_or_version_is_404(kv2: EngineHarness) -> None:
    with pytest.raises(NotFound):
        kv2.read("subkeys/nope")
    kv2.write("data/app", data={"a": 1})
    with pytest.raises(NotFound):
        kv2.read("subkeys/app", version=3)


def test_deleted_version_is_404_with_metadata(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": 1})
    kv2.delete("data/app")
    response = kv2.read("subkeys/app")
    assert response.status == 404
    assert response.data is not None
    assert response.data["subkeys"] is None
    assert response.data["metadata"]["deletion_time"] != ""


def test_negative_depth_or_version_is_rejected(kv2: EngineHarness) -> None:
    kv2.write("data/app", data={"a": 1})
    with pytest.raises(InvalidRequest, match="depth"):
        kv2.read("subkeys/app", depth=-1)
    with pytest.raises(InvalidRequest, match="version"):
        kv2.read("subkeys/app", version=-2)
