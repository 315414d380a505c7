"""Assembles the sys/ backend from its path groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.sdk.framework import Backend

if TYPE_CHECKING:
    from strongroom.core.core import Core

UNAUTHENTICATED = (
    "init", "seal-status", "unseal", "health", "leader", "wrapping/lookup", "internal/ui/mounts",
    # The handler does its own preflight check: some non-deny capability under the mount (Vault's rule).
    "internal/ui/mounts/.+",
)

# Root-protected paths beyond the shared list in core.policy.builtin.
# scan/fingerprints answers across every mount, whatever the caller may read.
SUDO = ("rotate/keyring", "leases/count", "scan/fingerprints")


def system_backend(core: Core) -> Backend:
    from strongroom.core.system import (
        path_audit,
        path_capabilities,
        path_leases,
        path_lockout,
        path_mounts,
        path_policy,
        path_quotas,
        path_scan,
        path_seal,
        path_tools,
        path_wrapping,
    )

    paths = [
        *path_seal.paths(core),
        *path_mounts.paths(core),
        *path_policy.paths(core),
        *path_capabilities.paths(core),
        *path_audit.paths(core),
        *path_tools.paths(core),
        *path_wrapping.paths(core),
        *path_leases.paths(core),
        *path_lockout.paths(core),
        *path_quotas.paths(core),
        *path_scan.paths(core),
    ]
    return Backend(paths, help="System endpoints: seal, mounts, policies, audit, leases and tools.",
                   unauthenticated=UNAUTHENTICATED, sudo=SUDO)
