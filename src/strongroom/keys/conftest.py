from __future__ import annotations

import pytest

from strongroom.keys import KeyService
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage()


@pytest.fixture
def service(storage: InMemoryStorage, clock: FrozenClock) -> KeyService:
    return KeyService(storage, clock)
