"""The cubbyhole secrets engine: a private KV v1 store per token, destroyed with the token."""

from __future__ import annotations

from strongroom.engines.cubbyhole.backend import CubbyholeBackend
from strongroom.sdk.framework import Backend, EngineEnv


def factory(env: EngineEnv) -> Backend:
    return CubbyholeBackend(env)


__all__ = ["factory"]
