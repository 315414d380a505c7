"""The catalogue of secrets engines: mount type -> factory, one line each."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from strongroom.sdk.framework import Backend, EngineEnv

EngineFactory = Callable[[EngineEnv], Backend]


def _catalog() -> Mapping[str, EngineFactory]:
    # Imported here so importing the catalogue type does not load every engine.
    from strongroom.engines import cubbyhole, kv, transit

    catalog: dict[str, EngineFactory] = {}
    catalog["kv"] = kv.factory
    catalog["cubbyhole"] = cubbyhole.factory
    catalog["transit"] = transit.factory
    return catalog


CATALOG: Mapping[str, EngineFactory] = _catalog()
