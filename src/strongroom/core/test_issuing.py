"""TTL capping as Vault words it."""

from __future__ import annotations

import pytest

from strongroom.core.issuing import capped_ttl, short_duration


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (45, "45s"), (60, "1m"), (90, "1m30s"), (3600, "1h"), (3630, "1h0m30s"), (172800, "48h"),
    (86399, "23h59m59s"),
])
def test_short_duration(seconds: int, text: str) -> None:
    assert short_duration(seconds) == text


def test_capped_ttl_warns_in_vault_words() -> None:
    assert capped_ttl(3600, 0, 60) == (
        60, ['TTL of "1h" exceeded the effective max_ttl of "1m"; TTL value is capped accordingly'])


def test_uncapped_ttl_has_no_warning() -> None:
    assert capped_ttl(0, 30, 60) == (30, [])
