"""Helpers shared by transit paths: base64 as Go decodes it, batch input and batch responses."""

from __future__ import annotations

import binascii
from collections.abc import Mapping
from typing import Any

from strongroom.keys import Keyring, KeyService
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.response import Response

NAME = r"(?P<name>\w(?:[\w.-]*\w)?)"
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def go_base64_error(text: str) -> str:
    """Go's message for a string that is not standard padded base64 (`illegal base64 data at input byte N`)."""
    for index, char in enumerate(text):
        if char not in _ALPHABET:
            if char != "=" or len(text) % 4 != 0 or index < len(text) - 2 or text[index:].strip("=") != "":
                return f"illegal base64 data at input byte {index}"
            break
    return f"illegal base64 data at input byte {len(text) - len(text) % 4 if len(text) % 4 else len(text)}"


def b64decode(text: str) -> bytes:
    """Strict standard base64; raises InvalidRequest with Go's message."""
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except ValueError:
        raise InvalidRequest(go_base64_error(text)) from None


def b64encode(data: bytes) -> str:
    return binascii.b2a_base64(data, newline=False).decode()


def require_key(service: KeyService, name: str, message: str = "encryption key not found") -> Keyring:
    ring = service.get(name)
    if ring is None:
        raise InvalidRequest(message)
    return ring


def batch_items(raw: Any, required: str | None, kinds: Mapping[str, type]) -> list[dict[str, Any]]:
    """Validate `batch_input`: a list of maps whose fields have the given types (numeric strings are accepted
    for int fields). Type errors are collected as Vault's decoder reports them and fail the whole request."""
    if not isinstance(raw, list):
        raise InvalidRequest("failed to parse batch input: source data must be an array or slice")
    if not raw:
        raise InvalidRequest("missing batch input to process")
    problems: list[str] = []
    for index, item in enumerate(raw):
        if type(item) is not dict:
            raise InvalidRequest(f"failed to parse batch input: [{index}] expected a map, got '{type(item).__name__}'")
        if required is not None and required not in item:
            verb = "encrypt" if required == "plaintext" else "decrypt"
            problems.append(f"'[{index}].{required}' missing {required} to {verb}")
        for field, value in item.items():
            kind = kinds.get(field)
            if kind is None or value is None or type(value) is kind:
                continue
            if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
                item[field] = int(value)
                continue
            wanted = "int" if kind is int else "string"
            problems.append(f"'[{index}].{field}' expected type '{wanted}', got unconvertible type "
                            f"'{type(value).__name__}'")
    if problems:
        lines = "".join(f"* {p}\n" for p in problems)
        raise InvalidRequest(f"failed to parse batch input: {len(problems)} error(s) decoding:\n\n{lines}")
    return raw


def check_context_consistency(items: list[dict[str, Any]]) -> bool:
    """Whether the first item has a context; Vault requires all or none to have one."""
    first = bool(items[0].get("context"))
    for item in items:
        if bool(item.get("context")) != first:
            raise InvalidRequest("context should be set either in all the request blocks or in none")
    return first


PARTIAL_CODE_IGNORED = ("Ignored here: as in Vault, sign, verify, hmac and rewrap batches answer 200 with "
                        "per-item errors.")


def batch_response(data: dict[str, Any], *, successes: bool, user_errors: bool, partial_code: int) -> Response:
    """Vault's status for an encrypt or decrypt batch: 400 when any item failed, unless
    partial_failure_response_code is given and at least one item succeeded; the results are in the body either
    way. (Sign, verify, hmac and rewrap batches are always 200, errors per item: Vault and OpenBao do so.)"""
    response = Response(data=data)
    if user_errors:
        status = 400
        if partial_code and successes:
            if 1 <= partial_code <= 599:
                status = partial_code
            else:
                response.warnings.append(
                    "invalid HTTP response code override from partial_failure_response_code, reverting to 400")
        response.status = status
    return response
