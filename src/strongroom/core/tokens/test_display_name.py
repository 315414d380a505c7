"""Token display names follow Vault's sanitising rule."""

from __future__ import annotations

import pytest

from strongroom.core.tokens.backend import display_name


@pytest.mark.parametrize(("requested", "shown"), [
    ("", "token"), ("token", "token-token"), ("My App!", "token-My-App"), ("a.b_c", "token-a-b-c"),
    ("x--", "token-x-"),
])
def test_display_name(requested: str, shown: str) -> None:
    assert display_name(requested) == shown
