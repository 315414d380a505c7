from __future__ import annotations

import pytest

from strongroom.core.policy import SUDO_PATHS, requires_sudo


@pytest.mark.parametrize(
    "path",
    [
        "sys/auth/userpass",
        "sys/auth/userpass/tune",
        "sys/audit",
        "sys/audit/file",
        "sys/config/auditing/request-headers/x",
        "sys/rotate",
        "sys/seal",
        "sys/step-down",
        "sys/remount",
        "sys/raw/core/keyring",
        "sys/leases",
        "sys/leases/",
        "sys/leases/lookup/secret/",
        "sys/leases/revoke-prefix/secret",
        "sys/leases/revoke-force/secret",
        "sys/revoke-prefix/secret",
        "sys/plugins/catalog/secret/x",
        "sys/config/cors",
        "auth/token/accessors",
        "auth/token/accessors/",
        "auth/token/revoke-orphan",
        "/sys/rotate",
    ],
)
def test_root_protected_paths(path: str) -> None:
    assert requires_sudo(path)


@pytest.mark.parametrize(
    "path",
    [
        "sys/auth",  # listing auth methods is not protected; enabling one is
        "sys/mounts/kv",  # mounting secrets engines does not need sudo
        "sys/mounts",
        "sys/policies/acl/dev",
        "sys/leases/lookup",  # the body form used by the default policy
        "sys/leases/renew",
        "sys/rotate/config",
        "sys/sealed",
        "auth/token/create",
        "auth/token/revoke",
        "secret/data/sys/rotate",
    ],
)
def test_unprotected_paths(path: str) -> None:
    assert not requires_sudo(path)


def test_patterns_are_plain_or_trailing_glob() -> None:
    for pattern in SUDO_PATHS:
        assert "*" not in pattern[:-1]
        assert "+" not in pattern
