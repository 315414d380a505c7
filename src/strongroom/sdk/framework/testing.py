"""EngineHarness: mount a Backend on InMemoryStorage and drive it as the core would, for engine tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.framework.backend import Backend, EngineEnv
from strongroom.sdk.request import Caller, Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import InMemoryStorage


class EngineHarness:
    def __init__(
        self,
        factory: Callable[[EngineEnv], Backend],
        *,
        options: dict[str, Any] | None = None,
        mount_path: str = "test/",
        caller: Caller | None = None,
    ) -> None:
        self.storage = InMemoryStorage()
        self.clock = FrozenClock()
        self.env = EngineEnv(storage=self.storage, clock=self.clock, mount_path=mount_path, options=options or {})
        self.backend = factory(self.env)
        self.backend.initialize()
        self.caller = caller or Caller(token_id="t1", accessor="a1", policies=("root",), display_name="root")
        # The client address the core would set; auth methods check CIDR bindings against it.
        self.remote_addr = ""

    def request(self, operation: Operation, path: str, **data: Any) -> Response:
        request = Request(operation=operation, path=path, data=data, caller=self.caller,
                          mount_point=self.env.mount_path, remote_addr=self.remote_addr)
        if operation in (Operation.CREATE, Operation.UPDATE):
            exists = self.backend.exists(request)
            operation = Operation.CREATE if exists is False else Operation.UPDATE
            request = request.with_(operation=operation)
        return self.backend.handle(request)

    def read(self, path: str, **data: Any) -> Response:
        return self.request(Operation.READ, path, **data)

    def write(self, path: str, **data: Any) -> Response:
        return self.request(Operation.UPDATE, path, **data)

    def patch(self, path: str, **data: Any) -> Response:
        return self.request(Operation.PATCH, path, **data)

    def list(self, path: str, **data: Any) -> Response:
        return self.request(Operation.LIST, path, **data)

    def delete(self, path: str, **data: Any) -> Response:
        return self.request(Operation.DELETE, path, **data)
