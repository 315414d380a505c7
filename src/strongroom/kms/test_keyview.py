from __future__ import annotations

from typing import Any

from strongroom.kms.keyview import KeyView


def _info(origins: list[str], period: int = 0, on_demand: str = "") -> dict[str, Any]:
    return {"type": "aes256-gcm96", "latest_version": len(origins), "auto_rotate_period": period,
            "keys": {str(n): 1_700_000_000 + n for n in range(1, len(origins) + 1)},
            "key_versions": {str(n): {"creation_time": "2026-01-01T00:00:00Z", "origin": origin}
                             for n, origin in enumerate(origins, start=1)},
            "custom_metadata": {"kms:on_demand": on_demand} if on_demand else {}}


def test_rotation_types_follow_how_each_version_was_made() -> None:
    # Rotation was switched off after the scheduled rotation: that version stays AUTOMATIC.
    view = KeyView.from_transit("k", _info(["generated", "auto-rotated", "rotated", "usage-rotated"],
                                           on_demand="[3]"))
    assert [view.rotation_type(n) for n in (2, 3, 4)] == ["AUTOMATIC", "ON_DEMAND", "AUTOMATIC"]
    # A rotation made through transit's keys/<name>/rotate is an on-demand one even while a schedule is set.
    scheduled = KeyView.from_transit("k", _info(["generated", "rotated"], period=90 * 86400))
    assert scheduled.rotation_type(2) == "ON_DEMAND"


def test_without_recorded_origins_the_schedule_and_on_demand_list_decide() -> None:
    info = _info(["generated", "generated", "generated"], period=86400, on_demand="[3]")
    del info["key_versions"]
    view = KeyView.from_transit("k", info)
    assert view.rotation_type(2) == "AUTOMATIC" and view.rotation_type(3) == "ON_DEMAND"
    assert KeyView.from_transit("k", {**info, "auto_rotate_period": 0}).rotation_type(2) == "ON_DEMAND"
