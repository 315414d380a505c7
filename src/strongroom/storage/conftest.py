from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from strongroom.storage.base import PhysicalBackend
from strongroom.storage.memory import InMemoryBackend
from strongroom.storage.sqlite import SQLiteBackend


@pytest.fixture(params=["memory", "sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PhysicalBackend]:
    """Every physical backend; PostgreSQL joins this list when it exists."""
    store: PhysicalBackend = InMemoryBackend() if request.param == "memory" else SQLiteBackend(tmp_path / "s.db")
    yield store
    store.close()
