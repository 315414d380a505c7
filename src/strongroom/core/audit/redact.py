"""Redaction of one audit entry for one device.

`Redactor.redact(entry)` returns a new entry (the input is never mutated) in which these are replaced by
`hmac-sha256:<hex>` under the device salt:

- every string (and bytes) leaf of `request.data` and `response.data`, at any depth, empty strings
  included; numbers, booleans and None stay clear; other values are hashed through `str()`;
- `auth.client_token`, `request.client_token`, `response.auth.client_token`, `response.wrap_info.token`;
- accessors (`auth.accessor`, `request.client_token_accessor`, `response.auth.accessor`,
  `response.wrap_info.accessor` / `wrapped_accessor`) unless `hmac_accessor` is false;
- `request.headers` values.

Exemptions come in the entry under `NON_HMAC` (removed from the output), as Vault's mount tunables do:
`{"non_hmac_request_keys": {...}, "non_hmac_response_keys": {...}, "non_hmac_headers": {...}}`. A data leaf
stays clear when its nearest enclosing key is listed. With `log_raw` nothing is hashed, except that
credential-bearing headers (`Authorization`, `X-Vault-Token`, cookies) are hashed on every device.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Collection, Mapping
from typing import Any

from strongroom.crypto.keyed import HmacSha256Key

NON_HMAC = "_non_hmac"
PREFIX = "hmac-sha256:"
CHAIN_FIELDS = ("seq", "prev_hash")
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-vault-token", "cookie", "set-cookie", "x-amz-security-token"}
)
_EMPTY: frozenset[str] = frozenset()
_INT_MIN, _INT_MAX = -(1 << 63), (1 << 64) - 1  # what orjson can encode


class Redactor:
    def __init__(self, salt: bytes, *, hmac_accessor: bool = True, log_raw: bool = False) -> None:
        self._digest = HmacSha256Key(salt).hexdigest
        self._hmac_accessor = hmac_accessor
        self._raw = log_raw

    def hash(self, value: str | bytes) -> str:
        """The HMAC as it appears in the log, whatever `log_raw` says (sys/audit-hash)."""
        data = value.encode() if isinstance(value, str) else value
        return PREFIX + self._digest(data)

    def redact(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        hints: Mapping[str, Collection[str]] = entry.get(NON_HMAC) or {}
        out = {k: v for k, v in entry.items() if k != NON_HMAC and k not in CHAIN_FIELDS}
        if isinstance(auth := entry.get("auth"), Mapping):
            out["auth"] = self._auth(auth, "client_token", "accessor")
        if isinstance(request := entry.get("request"), Mapping):
            out["request"] = self._request(request, hints)
        if isinstance(response := entry.get("response"), Mapping):
            out["response"] = self._response(response, hints)
        return out

    def default(self, value: Any) -> Any:
        """orjson fallback for types it cannot encode, found outside the redacted parts."""
        return self._leaf(value, clear=False)

    def _request(self, request: Mapping[str, Any], hints: Mapping[str, Collection[str]]) -> dict[str, Any]:
        out = self._auth(request, "client_token", "client_token_accessor")
        if "data" in out:
            out["data"] = self._walk(out["data"], _keys(hints, "non_hmac_request_keys"), False)
        if isinstance(headers := out.get("headers"), Mapping):
            out["headers"] = self._headers(headers, _keys(hints, "non_hmac_headers"))
        return out

    def _response(self, response: Mapping[str, Any], hints: Mapping[str, Collection[str]]) -> dict[str, Any]:
        out = dict(response)
        if "data" in out:
            out["data"] = self._walk(out["data"], _keys(hints, "non_hmac_response_keys"), False)
        if isinstance(auth := out.get("auth"), Mapping):
            out["auth"] = self._auth(auth, "client_token", "accessor")
        if isinstance(wrap := out.get("wrap_info"), Mapping):
            out["wrap_info"] = self._auth(wrap, "token", "accessor", "wrapped_accessor")
        return out

    def _auth(self, block: Mapping[str, Any], token: str, *accessors: str) -> dict[str, Any]:
        out = dict(block)
        if token in out:
            out[token] = self._walk(out[token], _EMPTY, False)
        for name in accessors:
            if name in out:
                out[name] = self._walk(out[name], _EMPTY, not self._hmac_accessor)
        return out

    def _headers(self, headers: Mapping[str, Any], clear: Collection[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in headers.items():
            lowered = str(name).lower()
            if lowered in CREDENTIAL_HEADERS:
                out[name] = _apply(value, self.hash)  # never clear, even with log_raw
            else:
                out[name] = self._walk(value, _EMPTY, lowered in clear)
        return out

    def _walk(self, value: Any, exempt: Collection[str], clear: bool) -> Any:
        """A JSON-safe copy of `value`; a leaf's fate is decided by its nearest enclosing key."""
        kind = type(value)  # exact-type fast paths first: this runs for every leaf of every request
        if kind is str:
            return value if clear or self._raw else PREFIX + self._digest(value.encode())
        if kind is dict:
            return {str(k): self._walk(v, exempt, k in exempt) for k, v in value.items()}
        if kind is list:
            return [self._walk(v, exempt, clear) for v in value]
        if value is None or kind is bool or kind is float:
            return value
        return self._walk_other(value, exempt, clear)

    def _walk_other(self, value: Any, exempt: Collection[str], clear: bool) -> Any:
        if isinstance(value, bool | float):
            return value
        if isinstance(value, int):
            return value if _INT_MIN <= value <= _INT_MAX else self._leaf(str(value), clear=True)
        if isinstance(value, Mapping):
            return {str(k): self._walk(v, exempt, k in exempt) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self._walk(v, exempt, clear) for v in value]
        return self._leaf(value, clear)

    def _leaf(self, value: Any, clear: bool) -> str:
        if clear or self._raw:
            if isinstance(value, bytes | bytearray | memoryview):
                return base64.b64encode(bytes(value)).decode()
            return value if isinstance(value, str) else str(value)
        if isinstance(value, bytes | bytearray | memoryview):
            return self.hash(bytes(value))
        return self.hash(value if isinstance(value, str) else str(value))


def _keys(hints: Mapping[str, Collection[str]], name: str) -> Collection[str]:
    keys = hints.get(name)
    return frozenset(keys) if keys else _EMPTY


def _apply(value: Any, hash_leaf: Callable[[str], str]) -> Any:
    if isinstance(value, list | tuple):
        return [_apply(v, hash_leaf) for v in value]
    return hash_leaf(value if isinstance(value, str) else str(value))
