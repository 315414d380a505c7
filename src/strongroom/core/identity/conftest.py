from __future__ import annotations

from dataclasses import dataclass

import pytest

from strongroom.core.identity.backend import identity_backend
from strongroom.core.identity.store import IdentityStore
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.framework.testing import EngineHarness
from strongroom.sdk.storage import InMemoryStorage

USERPASS, APPROLE, GITHUB = "auth_userpass_0a1b2c3d", "auth_approle_0a1b2c3d", "auth_github_0a1b2c3d"
MOUNTS = {USERPASS: ("auth/userpass/", "userpass"), APPROLE: ("auth/approle/", "approle"),
          GITHUB: ("auth/github/", "github"), "kv_0a1b2c3d": ("secret/", "kv")}


def mounts(accessor: str) -> tuple[str, str]:
    return MOUNTS.get(accessor, ("", ""))


@pytest.fixture
def store() -> IdentityStore:
    return IdentityStore(InMemoryStorage(), FrozenClock())


@dataclass
class IdentityHarness:
    api: EngineHarness
    store: IdentityStore


@pytest.fixture
def ident() -> IdentityHarness:
    holder: list[IdentityStore] = []

    def factory(env: EngineEnv) -> Backend:
        holder.append(IdentityStore(env.storage, env.clock))
        return identity_backend(holder[0], mounts)

    api = EngineHarness(factory, mount_path="identity/")
    return IdentityHarness(api, holder[0])
