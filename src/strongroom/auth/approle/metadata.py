"""Secret ID metadata as Vault's strutil.ParseArbitraryKeyValues reads it: a JSON object (possibly base64
encoded), `k1=v1,k2=v2`, or an already-decoded map; values must be strings."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from strongroom.sdk.errors import InvalidRequest

_ERROR = "failed to parse metadata: expected a JSON object of strings or comma-separated key=value pairs"


def parse_metadata(value: Any) -> dict[str, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, dict):
        return _strings(value)
    if not isinstance(value, str):
        raise InvalidRequest(_ERROR)
    for candidate in (value, _b64(value)):
        if candidate is None:
            continue
        try:
            decoded = orjson.loads(candidate)
        except orjson.JSONDecodeError:
            continue
        if isinstance(decoded, dict):
            return _strings(decoded)
    return _pairs(value)


def _b64(text: str) -> str | None:
    try:
        return base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _strings(mapping: dict[Any, Any]) -> dict[str, str]:
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InvalidRequest(_ERROR)
    return dict(mapping)


def _pairs(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in text.split(","):
        key, sep, val = part.partition("=")
        if not sep or not key.strip():
            raise InvalidRequest(_ERROR)
        result[key.strip()] = val.strip()
    return result
