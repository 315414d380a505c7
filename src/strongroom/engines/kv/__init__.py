"""The kv secrets engine: version 1 (pass-through) or version 2 (versioned), chosen by the mount option."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.engines.kv.backend import versioned_backend
from strongroom.engines.kv.passthrough import passthrough_backend
from strongroom.sdk.framework import Backend, EngineEnv


def is_versioned(options: Mapping[str, Any]) -> bool:
    """Clients treat anything but version "2" as v1; so do we."""
    return str(options.get("version") or "1") == "2"


def factory(env: EngineEnv) -> Backend:
    return versioned_backend(env) if is_versioned(env.options) else passthrough_backend(env)


__all__ = ["factory", "is_versioned"]
