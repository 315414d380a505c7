"""Render a Response as Vault's JSON envelope (the HTTP layer sends it; wrapping stores it)."""

from __future__ import annotations

from typing import Any

from strongroom.sdk.response import Response


def envelope(response: Response, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "request_id": "" if response.wrap_info is not None else request_id,
        "lease_id": response.lease_id,
        "renewable": response.renewable,
        "lease_duration": response.lease_duration,
        "data": None if response.data is None else dict(response.data),
        "wrap_info": None if response.wrap_info is None else dict(response.wrap_info),
        "warnings": list(response.warnings) or None,
        "auth": None if response.auth_out is None else dict(response.auth_out),
    }
    if response.top_level and response.data:
        return {**response.data, **body}
    return body
