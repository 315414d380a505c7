"""Building the raw (not yet hashed) audit entries; the broker hashes and writes them."""

from __future__ import annotations

from typing import Any

from strongroom.core.routing.mount_table import MountEntry
from strongroom.core.tokens.entry import TokenEntry
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.request import Request
from strongroom.sdk.response import Response


def request_entry(request: Request, full_path: str, token: TokenEntry | None, mount: MountEntry) -> dict[str, Any]:
    auth: dict[str, Any] = {}
    if token is not None:
        auth = {
            "client_token": request.client_token,
            "accessor": token.accessor,
            "display_name": token.display_name,
            "policies": list(token.policies),
            "token_policies": list(token.policies),
            "metadata": dict(token.meta),
            "entity_id": token.entity_id,
            "token_type": token.type,
            "token_issue_time": rfc3339(token.creation_time),
        }
    return {
        "type": "request",
        "auth": auth,
        "request": {
            "id": request.id,
            "operation": request.operation.value,
            "mount_point": mount.router_path,
            "mount_type": mount.type,
            "mount_accessor": mount.accessor,
            "client_token": request.client_token,
            "client_token_accessor": token.accessor if token is not None else "",
            "path": full_path,
            "data": dict(request.data) if request.data else None,
            "remote_address": request.remote_addr,
            "namespace": {"id": "root"},
        },
        "_non_hmac": {
            "request": list(mount.config.audit_non_hmac_request_keys),
            "response": list(mount.config.audit_non_hmac_response_keys),
        },
    }


def response_entry(request_entry: dict[str, Any], response: Response | None, error: str) -> dict[str, Any]:
    entry = {**request_entry, "type": "response"}
    if response is not None:
        entry["response"] = {
            "mount_point": request_entry["request"]["mount_point"],
            "data": dict(response.data) if response.data is not None else None,
            "auth": dict(response.auth_out) if response.auth_out is not None else None,
            "wrap_info": dict(response.wrap_info) if response.wrap_info is not None else None,
            "warnings": list(response.warnings) or None,
            "lease_id": response.lease_id or None,
        }
    if error:
        entry["error"] = error
    return entry
