"""An in-process core with cheap Argon2 for userpass, a frozen clock, and helpers for login attempts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from corefixture import CoreFixture
from strongroom.auth import CATALOG as AUTH
from strongroom.auth.userpass.backend import build as build_userpass
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.crypto.passwords import Argon2Params
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import StrongroomError
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.request import Operation, Request
from strongroom.storage.base import PhysicalBackend
from strongroom.storage.memory import InMemoryBackend

CHEAP = Argon2Params(memory_kib=8, iterations=1, lanes=1)
PASSWORD = "correct horse"


def cheap_userpass(env: EngineEnv) -> Backend:
    return build_userpass(env, CHEAP)


def make_core(physical: PhysicalBackend, clock: FrozenClock, **config: object) -> Core:
    return Core(physical, ENGINES, {**AUTH, "userpass": cheap_userpass}, clock=clock,
                config=CoreConfig(dev_mode=True, **config))  # type: ignore[arg-type]


@dataclass
class Attempt:
    """What a login answered: the token, or the error class and messages."""

    token: str | None
    error: str | None


def login(core: Core, path: str, **data: object) -> Attempt:
    try:
        response = core.handle(Request(Operation.UPDATE, path, dict(data), remote_addr="127.0.0.1"))
    except StrongroomError as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc.message}")
    assert response.auth_out is not None
    return Attempt(str(response.auth_out["client_token"]), None)


@pytest.fixture
def lf() -> CoreFixture:
    clock = FrozenClock()
    core = make_core(InMemoryBackend(), clock)
    keys, root = core.initialize(1, 1)
    core.submit_unseal_key(keys[0])
    fixture = CoreFixture(core, clock, root, None, keys[0])  # type: ignore[arg-type]
    fixture.write("sys/auth/userpass", type="userpass")
    fixture.write("auth/userpass/users/alice", password=PASSWORD)
    return fixture
