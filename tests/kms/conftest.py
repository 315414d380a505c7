"""Fixtures for the KMS face: a policy, a SigV4 access key bound to it and boto3 clients against the shared dev
server (the KMS API answers POST / on the same listener)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

from kms_support import client_for, issue_key

from serverproc import ServerProcess


@pytest.fixture(scope="session")
def kms_key(server: ServerProcess) -> dict[str, str]:
    return issue_key(server, "kms-tests", ["kms-user"])


@pytest.fixture(scope="session")
def kms(server: ServerProcess, kms_key: dict[str, str]) -> Any:
    return client_for(server, kms_key)


@pytest.fixture
def new_key(kms: Any) -> Callable[..., dict[str, Any]]:
    def create(**kwargs: Any) -> dict[str, Any]:
        metadata: dict[str, Any] = kms.create_key(**kwargs)["KeyMetadata"]
        return metadata

    return create
