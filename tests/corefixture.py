from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from strongroom.auth import CATALOG as AUTH
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.core.leases.lease import SECRET, Lease
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.framework import Backend, EngineEnv, Path, SecretType, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import LeaseOptions, Response
from strongroom.storage.memory import InMemoryBackend


@dataclass
class LeasingEngine:
    """A tiny engine that hands out leased secrets and records revocations (a real Backend, not a mock)."""

    revoked: list[str] = field(default_factory=list)
    failing: bool = False

    def factory(self, env: EngineEnv) -> Backend:
        @dataclass(frozen=True)
        class CredsArgs:
            name: str = arg("Credential name.")
            ttl: int = arg("Lease TTL.", 60)

        def issue(request: Request, args: CredsArgs) -> Response:
            return Response(data={"user": args.name},
                            lease=LeaseOptions("creds", ttl=args.ttl, max_ttl=600, internal={"user": args.name}))

        def revoke(internal: Any) -> None:
            if self.failing:
                raise ConnectionError("backing system down")
            self.revoked.append(internal["user"])

        return Backend([Path("creds/(?P<name>\\w+)", CredsArgs, {Operation.READ: issue})],
                       secret_types=[SecretType("creds", revoke=revoke)])


@dataclass
class CoreFixture:
    core: Core
    clock: FrozenClock
    root: str
    engine: LeasingEngine
    unseal_key: bytes

    def call(self, operation: Operation, path: str, token: str | None = None, body: dict[str, Any] | None = None,
             **data: Any) -> Response:
        """`body` carries fields whose names clash with the parameters here (such as `token`)."""
        return self.core.handle(Request(operation, path, {**(body or {}), **data},
                                        client_token=self.root if token is None else token, remote_addr="127.0.0.1"))

    def write(self, path: str, token: str | None = None, body: dict[str, Any] | None = None, **data: Any) -> Response:
        return self.call(Operation.UPDATE, path, token, body, **data)

    def read(self, path: str, token: str | None = None, **data: Any) -> Response:
        return self.call(Operation.READ, path, token, **data)

    def token(self, **data: Any) -> str:
        auth = self.write("auth/token/create", **data).auth_out
        assert auth is not None
        return str(auth["client_token"])


@pytest.fixture
def cf() -> CoreFixture:
    clock = FrozenClock()
    engine = LeasingEngine()
    core = Core(InMemoryBackend(), {**ENGINES, "leasing": engine.factory}, AUTH, clock=clock,
                config=CoreConfig(dev_mode=True))
    keys, root = core.initialize(1, 1)
    core.submit_unseal_key(keys[0])
    return CoreFixture(core, clock, root, engine, keys[0])


def db_lease(clock: FrozenClock, name: str) -> Lease:
    """A secret lease of `db/creds/<name>` that expires 10 s from now (for expiration-manager tests)."""
    now = clock.now()
    return Lease(id=f"db/creds/{name}", kind=SECRET, path="db/creds", token_id="t1", issue_time=now,
                 expire_time=now + 10, mount="db/")
