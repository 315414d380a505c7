"""HTTP to sdk.Request and sdk.Response to HTTP: methods, headers, bodies and the Vault envelope."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

from strongroom.core.envelope import envelope
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest, UnsupportedMediaType, UnsupportedOperation
from strongroom.sdk.request import Operation
from strongroom.sdk.response import Response

JSON = "application/json"
MAX_JSON_DEPTH = 100
MAX_JSON_ITEMS = 500_000
# Non-canonical spellings are refused before routing or ACL, so a policy on a path cannot be sidestepped.
_NON_CANONICAL = re.compile(rb"(?i)%2e|%2f|%5c|%00|\x00|//|/\./|/\.\./|/\.$|/\.\.$|\\")

METHODS = {
    "GET": Operation.READ,
    "POST": Operation.UPDATE,
    "PUT": Operation.UPDATE,
    "DELETE": Operation.DELETE,
    "LIST": Operation.LIST,
    "PATCH": Operation.PATCH,
}


def check_canonical(raw_path: bytes) -> None:
    if _NON_CANONICAL.search(raw_path):
        raise InvalidRequest("invalid request path: non-canonical paths are not allowed")


def operation_for(method: str, query: Mapping[str, str], content_type: str, listing: bool = False) -> Operation:
    """`listing`: the listener saw the LIST method (it hands it on as GET with a marker header)."""
    operation = Operation.LIST if listing and method == "GET" else METHODS.get(method)
    if operation is None:
        raise UnsupportedOperation()
    if operation is Operation.READ and query.get("list", "").lower() in ("true", "1"):
        return Operation.LIST
    if operation is Operation.READ and query.get("help", "") in ("1", "true"):
        return Operation.HELP
    if operation is Operation.PATCH and not content_type.startswith("application/merge-patch+json"):
        raise UnsupportedMediaType(
            f"PATCH requires Content-Type of application/merge-patch+json, provided {content_type or 'none'}"
        )
    return operation


def _check_shape(value: Any) -> None:
    """Depth and size limits on parsed JSON, iteratively (no recursion on untrusted input)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    items = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidRequest(f"failed to parse JSON input: nesting deeper than {MAX_JSON_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            items += 1
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
        if items > MAX_JSON_ITEMS:
            raise InvalidRequest("failed to parse JSON input: too many elements")


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    stripped = body.strip()
    if not stripped:
        return {}
    if content_type.startswith("application/x-www-form-urlencoded") and stripped[:1] not in (b"{", b"["):
        try:
            return dict(parse_qsl(stripped.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            raise InvalidRequest("failed to parse form input") from None
    try:
        value = orjson.loads(stripped)
    except orjson.JSONDecodeError:
        raise InvalidRequest("failed to decode JSON input: the body is not valid JSON") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest("failed to decode JSON input: the body must be a JSON object")
    _check_shape(value)
    return value


def wrap_ttl(header: str | None) -> int | None:
    if not header:
        return None
    ttl = parse_duration(header, "X-Vault-Wrap-TTL")
    if ttl <= 0:
        raise InvalidRequest("invalid wrap TTL")
    return ttl


def token_from(headers: Mapping[str, str]) -> str:
    token = headers.get("x-vault-token", "")
    if token:
        return token
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return ""


def render(response: Response, request_id: str) -> tuple[int, bytes]:
    """Status and body for a handler's response (204 and no body when there is nothing to say)."""
    if response.raw is not None:
        body = response.raw.body
        if body is None:
            return response.raw.status, b""
        return response.raw.status, body if isinstance(body, bytes) else orjson.dumps(body)
    if response.is_empty():
        return (response.status or 204), b""
    return (response.status or 200), orjson.dumps(envelope(response, request_id))
