from __future__ import annotations

import pytest

from strongroom.auth.userpass import build
from strongroom.crypto.passwords import Argon2Params
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.framework.testing import EngineHarness

# The smallest Argon2id cost the library accepts: the tests check behaviour, not hashing strength.
CHEAP = Argon2Params(memory_kib=8, iterations=1, lanes=1)


def cheap_factory(env: EngineEnv) -> Backend:
    return build(env, params=CHEAP)


@pytest.fixture
def userpass() -> EngineHarness:
    return EngineHarness(cheap_factory, mount_path="auth/userpass/")
