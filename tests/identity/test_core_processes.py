"""Two cores over one SQLite file, as two worker processes run: identity written through one is seen by the
other at its next request (the barrier announces the external change and the identity caches are dropped)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corefixture import CoreFixture, LeasingEngine
from strongroom.auth import CATALOG as AUTH
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.request import Operation
from strongroom.storage.sqlite import SQLiteBackend

from .helpers import can, enable, policy, userpass_login

KV = "secret/data"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[CoreFixture, CoreFixture]]:
    clock = FrozenClock()
    backends = [SQLiteBackend(tmp_path / "shared.db"), SQLiteBackend(tmp_path / "shared.db")]
    first = Core(backends[0], ENGINES, AUTH, clock=clock, config=CoreConfig(dev_mode=True))
    keys, root = first.initialize(1, 1)
    first.submit_unseal_key(keys[0])
    second = Core(backends[1], ENGINES, AUTH, clock=clock, config=CoreConfig(dev_mode=True))
    second.submit_unseal_key(keys[0])
    yield (CoreFixture(first, clock, root, LeasingEngine(), keys[0]),
           CoreFixture(second, clock, root, LeasingEngine(), keys[0]))
    for core in (first, second):
        core.seal_now(announce=False)
    for backend in backends:
        backend.close()


def test_identity_changes_reach_the_other_process(pair: tuple[CoreFixture, CoreFixture]) -> None:
    one, two = pair
    enable(one, "userpass", "userpass")
    policy(one, "dev", f'path "{KV}/dev" {{ capabilities = ["read"] }}')
    one.write(f"{KV}/dev", data={"k": "v"})
    auth = userpass_login(one, "alice")
    token = auth["client_token"]
    gid = one.write("identity/group", name="eng", policies=["dev"], member_entity_ids=[auth["entity_id"]]).data["id"]  # type: ignore[index]
    assert can(two, token, Operation.READ, f"{KV}/dev")  # the second process caches the view now
    assert can(one, token, Operation.READ, f"{KV}/dev")
    two.write(f"identity/group/id/{gid}", policies=[])  # written through the other process
    assert not can(one, token, Operation.READ, f"{KV}/dev")
    one.write(f"identity/entity/id/{auth['entity_id']}", disabled=True)
    assert not can(two, token, Operation.READ, "auth/token/lookup-self")
