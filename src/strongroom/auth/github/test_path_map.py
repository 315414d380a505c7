from __future__ import annotations

import pytest

from strongroom.sdk.errors import NotFound, UnsupportedPath
from strongroom.sdk.framework.testing import EngineHarness


@pytest.mark.parametrize("kind", ["teams", "users"])
def test_map_round_trip_list_and_delete(github_mount: EngineHarness, kind: str) -> None:
    with pytest.raises(NotFound):
        github_mount.list(f"map/{kind}")
    github_mount.write(f"map/{kind}/Platform Team", value="b, a,a")
    github_mount.write(f"map/{kind}/ops", value=["x"])
    assert github_mount.read(f"map/{kind}/platform team").data == {"key": "platform team", "value": "b,a"}
    assert github_mount.list(f"map/{kind}/").data == {"keys": ["ops", "platform team"]}
    github_mount.delete(f"map/{kind}/OPS")
    with pytest.raises(NotFound):
        github_mount.read(f"map/{kind}/ops")


def test_names_cannot_escape_their_folder(github_mount: EngineHarness) -> None:
    with pytest.raises(UnsupportedPath):
        github_mount.write("map/teams/a/b", value="p")
    github_mount.write("map/teams/..%2fx", value="p")
    assert github_mount.list("map/teams").data == {"keys": ["..%2fx"]}
