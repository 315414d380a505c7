"""A request as the core and every engine sees it, independent of HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Operation(StrEnum):
    READ = "read"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    PATCH = "patch"
    DELETE = "delete"
    HELP = "help"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent the request, once the core has authenticated the token.

    `token_id` is a stable, non-secret identifier of the token (a keyed hash): cubbyhole keys storage by it.
    """

    token_id: str
    accessor: str
    policies: tuple[str, ...]
    display_name: str
    entity_id: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    is_root: bool = False
    token_type: str = "service"


@dataclass(frozen=True, slots=True)
class Request:
    """`path` is relative to the mount once routed (the core rewrites it); `mount_point` ends with '/'."""

    operation: Operation
    path: str
    data: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""
    client_token: str = ""
    caller: Caller | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    remote_addr: str = ""
    mount_point: str = ""
    mount_type: str = ""
    mount_accessor: str = ""
    wrap_ttl: int | None = None

    def with_(self, **changes: Any) -> Request:
        return replace(self, **changes)
