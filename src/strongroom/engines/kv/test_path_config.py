from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness


def test_default_config(kv2: EngineHarness) -> None:
    assert kv2.read("config").data == {"cas_required": False, "delete_version_after": "0s", "max_versions": 0}


def test_write_then_read(kv2: EngineHarness) -> None:
    assert kv2.write("config", max_versions=5, cas_required=True, delete_version_after="1h30m").is_empty()
    assert kv2.read("config").data == {"cas_required": True, "delete_version_after": "1h30m0s", "max_versions": 5}


def test_partial_write_keeps_other_settings(kv2: EngineHarness) -> None:
    kv2.write("config", max_versions=5, cas_required=True)
    kv2.write("config", delete_version_after=90)
    assert kv2.read("config").data == {"cas_required": True, "delete_version_after": "1m30s", "max_versions": 5}


def test_empty_write_is_a_no_op(kv2: EngineHarness) -> None:
    assert kv2.write("config").is_empty()
    assert kv2.storage.get("config") is None


def test_negative_delete_version_after_disables_and_zero_clears(kv2: EngineHarness) -> None:
    kv2.write("config", delete_version_after="-5m")
    assert kv2.read("config").data["delete_version_after"] == "-1s"  # type: ignore[index]
    kv2.write("config", delete_version_after="0s")
    assert kv2.read("config").data["delete_version_after"] == "0s"  # type: ignore[index]


def test_bad_input_is_rejected(kv2: EngineHarness) -> None:
    with pytest.raises(InvalidRequest, match="max_versions"):
        kv2.write("config", max_versions=-1)
    with pytest.raises(InvalidRequest, match='field "cas_required"'):
        kv2.write("config", cas_required="maybe")
    with pytest.raises(InvalidRequest, match="invalid duration"):
        kv2.write("config", delete_version_after="soon")
