"""max_versions trimming: the larger of the key's and the mount's setting wins (OpenBao 2.7.2); 0 means 10."""

from __future__ import annotations

import pytest

from strongroom.engines.kv.model import version_key
from strongroom.sdk.errors import NotFound
from strongroom.sdk.framework.testing import EngineHarness


def write_n(kv2: EngineHarness, n: int) -> None:
    for i in range(1, n + 1):
        kv2.write("data/app", data={"v": i})


def kept(kv2: EngineHarness) -> list[int]:
    return sorted(int(v) for v in kv2.read("metadata/app").data["versions"])  # type: ignore[index]


def test_default_keeps_ten_versions(kv2: EngineHarness) -> None:
    write_n(kv2, 12)
    assert kept(kv2) == list(range(3, 13))
    assert kv2.read("metadata/app").data["oldest_version"] == 3  # type: ignore[index]


def test_mount_max_versions_trims_and_removes_data(kv2: EngineHarness) -> None:
    kv2.write("config", max_versions=2)
    write_n(kv2, 4)
    assert kept(kv2) == [3, 4]
    assert kv2.storage.get(version_key("app", 1)) is None
    assert kv2.storage.get(version_key("app", 2)) is None
    with pytest.raises(NotFound):
        kv2.read("data/app", version=1)


def test_key_max_versions_applies_when_mount_is_unset(kv2: EngineHarness) -> None:
    kv2.write("metadata/app", max_versions=3)
    write_n(kv2, 5)
    assert kept(kv2) == [3, 4, 5]


def test_larger_of_key_and_mount_wins(kv2: EngineHarness) -> None:
    kv2.write("config", max_versions=4)
    kv2.write("metadata/app", max_versions=2)
    write_n(kv2, 6)
    assert kept(kv2) == [3, 4, 5, 6]


def test_lowering_max_versions_trims_several_on_next_write(kv2: EngineHarness) -> None:
    write_n(kv2, 5)
    kv2.write("metadata/app", max_versions=2)
    assert kept(kv2) == [1, 2, 3, 4, 5]
    kv2.write("data/app", data={"v": 6})
    assert kept(kv2) == [5, 6]
    assert all(kv2.storage.get(version_key("app", n)) is None for n in range(1, 5))


def test_patch_also_trims(kv2: EngineHarness) -> None:
    kv2.write("config", max_versions=1)
    kv2.write("data/app", data={"v": 1})
    kv2.patch("data/app", data={"w": 2})
    assert kept(kv2) == [2]
    assert kv2.read("data/app").data["data"] == {"v": 1, "w": 2}  # type: ignore[index]
