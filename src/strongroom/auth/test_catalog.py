from __future__ import annotations

from strongroom.auth import CATALOG
from strongroom.auth.approle import factory as approle_factory
from strongroom.auth.userpass import factory as userpass_factory


def test_catalogue_lists_the_methods() -> None:
    assert CATALOG["userpass"] is userpass_factory
    assert CATALOG["approle"] is approle_factory


def test_factories_build_mounts() -> None:
    from strongroom.sdk.framework import EngineEnv
    from strongroom.sdk.storage import InMemoryStorage

    for factory in CATALOG.values():
        backend = factory(EngineEnv(storage=InMemoryStorage()))
        assert backend.is_unauthenticated("login") or backend.is_unauthenticated("login/someone")
