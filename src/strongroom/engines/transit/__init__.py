"""The transit secrets engine: encryption as a service over `strongroom.keys`."""

from __future__ import annotations

from strongroom.engines.transit.backend import transit_backend
from strongroom.sdk.framework import Backend, EngineEnv


def factory(env: EngineEnv) -> Backend:
    return transit_backend(env)


__all__ = ["factory"]
