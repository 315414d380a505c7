"""sys/audit (list, enable, disable) and sys/audit-hash."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core.system.common import NoArgs, legacy
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core

REFUSED = "cannot enable audit device via API; use declarative, config-based audit device management instead"


@dataclass(frozen=True)
class AuditArgs:
    path: str = arg("Device path.")
    type: str = arg("Device type: file.", "")
    description: str = arg("Description.", "")
    options: dict[str, str] = arg("Device options, such as file_path.", factory=dict)
    local: bool = arg("Accepted for compatibility.", False)


@dataclass(frozen=True)
class HashArgs:
    path: str = arg("Device path.")
    input: str = arg("The value to hash.", sensitive=True)


def check_api_audit_path(core: Core, options: dict[str, str]) -> None:
    """API-created devices only when the config allows it, and only inside an allowed directory."""
    if not core.config.unsafe_allow_api_audit_creation:
        raise InvalidRequest(REFUSED)
    target = options.get("file_path", "")
    if target in ("stdout", "discard"):
        return
    resolved = os.path.realpath(target)
    allowed = [os.path.realpath(d) for d in core.config.allowed_audit_directories]
    if not target or not any(resolved.startswith(d.rstrip("/") + "/") for d in allowed):
        raise InvalidRequest("audit file_path must be inside a directory allowed by the server configuration")


def paths(core: Core) -> list[Path[Any]]:
    def listing(request: Request, args: NoArgs) -> Response:
        return legacy(core.audit.devices())

    def enable(request: Request, args: AuditArgs) -> Response:
        if args.type != "file":
            raise InvalidRequest(f"unknown backend type: {args.type!r}")
        check_api_audit_path(core, args.options)
        try:
            core.audit.enable(args.path, args.type, args.options, args.description)
        except (ValueError, OSError) as exc:
            raise InvalidRequest(f"audit device could not be enabled: {type(exc).__name__}") from None
        return Response()

    def disable(request: Request, args: AuditArgs) -> Response:
        core.audit.disable(args.path)
        return Response()

    def audit_hash(request: Request, args: HashArgs) -> Response:
        if args.path.strip("/") + "/" not in core.audit.devices():
            raise InvalidRequest("unknown audit backend")
        return legacy({"hash": core.audit.hash(args.path, args.input)})

    return [
        Path("audit/?", NoArgs, {Operation.READ: listing}, synopsis="List audit devices."),
        Path("audit/(?P<path>.+)", AuditArgs, {Operation.UPDATE: enable, Operation.DELETE: disable},
             synopsis="Enable or disable an audit device (sudo)."),
        Path("audit-hash/(?P<path>.+)", HashArgs, {Operation.UPDATE: audit_hash},
             synopsis="Hash a value as a device writes it to its log."),
    ]
