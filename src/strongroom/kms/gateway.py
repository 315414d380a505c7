"""The KMS face's only way in: ordinary requests through `Core.handle`, carrying the caller's token, so the
ACL, the audit log and leases apply exactly as on the Vault API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.core.core import Core
from strongroom.kms.settings import KmsSettings
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True, slots=True)
class Gateway:
    core: Core
    settings: KmsSettings
    token: str
    remote_addr: str

    def call(self, operation: Operation, path: str, data: Mapping[str, Any] | None = None) -> Response:
        return self.core.handle(Request(operation=operation, path=path, data=data or {}, client_token=self.token,
                                        remote_addr=self.remote_addr))

    def transit(self, operation: Operation, path: str, data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """A request on the KMS transit mount; its response data (empty when there is none)."""
        return self.call(operation, self.settings.transit_mount + path, data).data or {}

    def alias_store(self, operation: Operation, path: str, data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        return self.call(operation, self.settings.alias_mount + path, data).data or {}
