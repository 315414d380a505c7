"""The Backend every secrets engine and auth method is: it routes a request below its mount to a Path,
converts the arguments and calls the handler. The core talks to mounts only through this class."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from strongroom.sdk.clock import Clock, SystemClock
from strongroom.sdk.errors import UnsupportedOperation, UnsupportedPath
from strongroom.sdk.framework.fields import parse_args
from strongroom.sdk.framework.path import Path
from strongroom.sdk.framework.secret import SecretType
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response
from strongroom.sdk.storage import Storage


class SystemView(Protocol):
    """What a mount may ask of the server around it."""

    def default_lease_ttl(self) -> int: ...

    def max_lease_ttl(self) -> int: ...


@dataclass(frozen=True)
class StaticSystemView:
    default_ttl: int = 768 * 3600
    max_ttl: int = 768 * 3600

    def default_lease_ttl(self) -> int:
        return self.default_ttl

    def max_lease_ttl(self) -> int:
        return self.max_ttl


class LoginGuard(Protocol):
    """User lockout for an auth mount's logins, provided by the core (Vault's user lockout).

    `alias` is the method's identity for the login (username, role_id); the core folds case, surrounding
    whitespace and Unicode compatibility forms, so every spelling of one name shares one counter. A login
    handler checks `locked` after doing its credential work and before any side effect, and answers a locked
    alias with exactly the error of a wrong credential; it reports `failed` for a wrong credential (whether or
    not the alias exists) and `succeeded` when it grants a token."""

    def locked(self, alias: str) -> bool: ...

    def failed(self, alias: str) -> None: ...

    def succeeded(self, alias: str) -> None: ...


class NoLockout:
    """The guard of a mount outside a core (engine tests): nothing is ever locked."""

    def locked(self, alias: str) -> bool:
        return False

    def failed(self, alias: str) -> None:
        return None

    def succeeded(self, alias: str) -> None:
        return None


@dataclass(frozen=True, slots=True)
class ManagedValue:
    """One stored string value that a leak scanner may report as a secret this mount manages.

    `path` is below the mount; `version` is the stored version (0 for an engine without versions); `field`
    names the value inside the secret's data, nested keys joined by dots."""

    path: str
    version: int
    field: str
    value: str = dataclasses.field(repr=False)  # `field` here is the attribute above


@dataclass(frozen=True)
class EngineEnv:
    """Everything a plug-in factory receives: its own storage view, the clock and its mount's settings."""

    storage: Storage
    clock: Clock = field(default_factory=SystemClock)
    mount_path: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    system: SystemView = field(default_factory=StaticSystemView)
    lockout: LoginGuard = field(default_factory=NoLockout)


class Backend:
    """An engine or auth method described as data.

    `unauthenticated` lists path patterns served without a token (login endpoints);
    `sudo` lists path patterns that need the sudo capability.
    """

    def __init__(
        self,
        paths: Sequence[Path[Any]],
        *,
        help: str = "",
        secret_types: Sequence[SecretType] = (),
        unauthenticated: Sequence[str] = (),
        sudo: Sequence[str] = (),
        managed_values: Callable[[], Iterable[ManagedValue]] | None = None,
    ) -> None:
        """`managed_values`, when given, lists the mount's live stored values (see `managed_values()`)."""
        self.paths = tuple(paths)
        self._managed_values = managed_values
        self.help = help
        self.secret_types = {s.name: s for s in secret_types}
        self._unauthenticated = re.compile("|".join(f"(?:{p})" for p in unauthenticated) or "(?!)")
        self._sudo = re.compile("|".join(f"(?:{p})" for p in sudo) or "(?!)")

    def is_unauthenticated(self, path: str) -> bool:
        return self._unauthenticated.fullmatch(path) is not None

    def needs_sudo(self, path: str) -> bool:
        return self._sudo.fullmatch(path) is not None

    def match(self, path: str) -> tuple[Path[Any], dict[str, str]]:
        for candidate in self.paths:
            found = candidate.compiled.fullmatch(path)
            if found is not None:
                return candidate, {k: v for k, v in found.groupdict().items() if v is not None}
        raise UnsupportedPath("unsupported path")

    def _args(self, path: Path[Any], request: Request, captured: Mapping[str, str]) -> tuple[Any, list[str]]:
        raw = {**request.data, **captured} if captured else request.data
        return parse_args(path.args, raw)

    def exists(self, request: Request) -> bool | None:
        """Whether a write is an update (True) or a create (False); None when the path has no check."""
        path, captured = self.match(request.path)
        if path.existence_check is None:
            return None
        args, _ = self._args(path, request, captured)
        return path.existence_check(request, args)

    def handle(self, request: Request) -> Response:
        path, captured = self.match(request.path)
        if request.operation is Operation.HELP:
            return Response(data={"help": path.help_text() or self.help})
        handler = path.handler_for(request.operation)
        if handler is None:
            raise UnsupportedOperation()
        args, unknown = self._args(path, request, captured)
        response = handler(request, args)
        if unknown and path.strict_fields:
            response.warnings.append(
                f"Endpoint ignored these unrecognized parameters: [{' '.join(unknown)}]"
            )
        return response

    # Hooks the core calls; engines override what they need.
    def initialize(self) -> None:
        """Called once the mount is set up and the barrier is unsealed."""

    def periodic(self, now: float) -> None:
        """Called about once a second: tidy, auto-rotation."""

    def token_revoked(self, token_id: str) -> None:
        """Called when a token is revoked (cubbyhole drops the token's storage)."""

    def cleanup(self) -> None:
        """Called when the mount is removed; storage is wiped by the core afterwards."""

    def managed_values(self) -> Iterator[ManagedValue]:
        """Every live stored string value, read from storage at each call (sys/scan/fingerprints answers from
        these); a mount whose data is not someone's managed secret (the default) yields nothing."""
        if self._managed_values is not None:
            yield from self._managed_values()

    def resolve_role(self, request: Request) -> str:
        """The role a login request would use, for role-scoped rate-limit quotas ("" when none)."""
        return ""
