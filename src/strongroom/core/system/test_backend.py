"""Which sys/ paths are served without the ACL check (their handlers check the token themselves)."""

from __future__ import annotations

import pytest

from strongroom.core.system.backend import SUDO, UNAUTHENTICATED
from strongroom.sdk.framework import Backend


@pytest.mark.parametrize("path", [
    "seal-status", "wrapping/lookup", "internal/ui/mounts", "internal/ui/mounts/secret/app", "internal/ui/mounts/x",
])
def test_unauthenticated(path: str) -> None:
    assert Backend([], unauthenticated=UNAUTHENTICATED).is_unauthenticated(path)


@pytest.mark.parametrize("path", ["mounts", "internal/ui/mountsx", "wrapping/unwrap", "policy/x", "audit"])
def test_authenticated(path: str) -> None:
    assert not Backend([], unauthenticated=UNAUTHENTICATED).is_unauthenticated(path)


def test_rotate_keyring_needs_sudo() -> None:
    backend = Backend([], sudo=SUDO)
    assert backend.needs_sudo("rotate/keyring")
    assert not backend.needs_sudo("rotate/keyringx")


def test_scan_fingerprints_needs_sudo() -> None:
    backend = Backend([], sudo=SUDO)
    assert backend.needs_sudo("scan/fingerprints")
    assert not backend.needs_sudo("scan/fingerprintsx")
