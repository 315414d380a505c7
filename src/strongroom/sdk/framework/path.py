"""One path group of an engine: a regex pattern, its typed arguments and a handler per operation."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

A = TypeVar("A")
Handler = Callable[[Request, A], Response]
ExistenceCheck = Callable[[Request, A], bool]


@dataclass(frozen=True)
class Path(Generic[A]):
    """`pattern` is a regex matched against the whole path below the mount; named groups become arguments
    (they override body fields of the same name). `existence_check` decides create versus update for
    writes, as Vault's does; without one, every write is an update."""

    pattern: str
    args: type[A]
    operations: Mapping[Operation, Handler[A]]
    synopsis: str = ""
    description: str = ""
    existence_check: ExistenceCheck[A] | None = None
    # Warn about unknown fields (Vault does); engines with free-form bodies (kv) turn this off.
    strict_fields: bool = True
    # The handlers write to storage at most now and then (transit's usage marks, a key created on first use):
    # the HTTP layer runs them on its event loop, since a thread handoff costs more than such a request. A
    # path that writes on most calls leaves this off, so concurrent writes wait on threads and commit together.
    inline: bool = False
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern))

    def handler_for(self, operation: Operation) -> Handler[A] | None:
        handler = self.operations.get(operation)
        if handler is None and operation in (Operation.CREATE, Operation.UPDATE):
            other = Operation.UPDATE if operation is Operation.CREATE else Operation.CREATE
            handler = self.operations.get(other)
        return handler

    def help_text(self) -> str:
        from strongroom.sdk.framework.fields import field_specs

        lines = [self.synopsis, "", self.description] if self.description else [self.synopsis]
        specs = field_specs(self.args)  # type: ignore[arg-type]
        if specs:
            lines += ["", "Parameters:"]
            lines += [f"  {s.name}: {s.doc}" for s in specs]
        return "\n".join(lines).strip()

