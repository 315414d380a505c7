from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from strongroom.core.audit.broker import AuditBroker
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage

CANARY = "canary-s3cr3t-7f1e"


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def broker(storage: InMemoryStorage, clock: FrozenClock) -> AuditBroker:
    return AuditBroker(storage, clock)


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "audit.log"


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def sample_entry(secret: str = CANARY) -> dict[str, Any]:
    """A raw entry as the core builds it, with the canary in every sensitive place."""
    return {
        "auth": {
            "client_token": f"token-{secret}",
            "accessor": f"accessor-{secret}",
            "display_name": "token",
            "policies": ["root"],
            "token_policies": ["root"],
            "metadata": {},
            "token_type": "service",
        },
        "request": {
            "id": "fee58d0f-0000-4000-8000-000000000000",
            "operation": "create",
            "mount_point": "secret/",
            "mount_type": "kv",
            "mount_accessor": "kv_5e62a765",
            "client_token": f"token-{secret}",
            "client_token_accessor": f"accessor-{secret}",
            "path": "secret/data/aud",
            "data": {"data": {"password": secret, "n": 5, "b": True, "none": None, "f": 1.5, "empty": ""}},
            "remote_address": "127.0.0.1",
            "headers": {"x-correlation-id": ["abc123"], "authorization": [f"Bearer {secret}"]},
        },
        "response": {
            "data": {"keys": [secret, f"{secret}-2"], "nested": {"deep": [{"x": secret}]}, "raw": secret.encode()},
            "auth": {"client_token": f"new-{secret}", "accessor": f"newacc-{secret}", "policies": ["default"]},
            "wrap_info": {"token": f"wrap-{secret}", "accessor": f"wrapacc-{secret}", "ttl": 60},
            "warnings": [],
        },
    }
