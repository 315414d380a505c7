"""The endpoints served whether or not the barrier is sealed, without a token: init, unseal, seal-status,
health and leader. Everything else goes to the core, which answers 503 while sealed."""

from __future__ import annotations

from typing import Any

import orjson

from strongroom.core import status
from strongroom.core.core import Core
from strongroom.sdk.errors import UnsupportedOperation
from strongroom.sdk.request import Operation

PATHS = frozenset({"sys/init", "sys/unseal", "sys/seal-status", "sys/health", "sys/leader"})


def serve(core: Core, path: str, operation: Operation, data: dict[str, Any]) -> tuple[int, bytes]:
    write = operation in (Operation.UPDATE, Operation.CREATE)
    if path == "sys/init":
        body = status.init(core, data) if write else {"initialized": core.seal.config() is not None}
        return 200, orjson.dumps(body)
    if path == "sys/unseal" and write:
        return 200, orjson.dumps(status.unseal(core, data))
    if path == "sys/seal-status" and operation is Operation.READ:
        return 200, orjson.dumps(status.seal_status(core))
    if path == "sys/health" and operation is Operation.READ:
        code, body = status.health(core, {k: str(v) for k, v in data.items()})
        return code, orjson.dumps(body)
    if path == "sys/leader" and operation is Operation.READ:
        return 200, orjson.dumps(status.leader(core))
    raise UnsupportedOperation("")
