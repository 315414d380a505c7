"""The one place that speaks HTTP: headers, the `/v1/` prefix, error decoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from strongroom.client.errors import ApiError, ConnectionFailed

MERGE_PATCH = "application/merge-patch+json"
_NO_BODY: Any = object()


class Transport:
    """A thin wrapper over `httpx.Client` that knows the Vault wire rules.

    The token travels only in the `X-Vault-Token` header and is never part of a message or repr.
    """

    def __init__(
        self,
        address: str,
        token: str | None,
        namespace: str | None,
        verify: bool | str,
        timeout: float,
        http: httpx.Client | None = None,
    ) -> None:
        self.address = address.rstrip("/")
        self._token = token
        self.namespace = namespace
        if not self.address.startswith("https://"):
            # No TLS on a plain-HTTP address, so skip loading the CA bundle (about 100 ms per client).
            verify = False
        self._http = http or httpx.Client(verify=verify, timeout=timeout, follow_redirects=False)

    def __repr__(self) -> str:
        return f"Transport(address={self.address!r}, namespace={self.namespace!r})"

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        return f"{self.address}/v1/{path.lstrip('/')}"

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Any = _NO_BODY,
        params: Mapping[str, str] | None = None,
        content_type: str = "application/json",
        authenticated: bool = True,
    ) -> httpx.Response:
        """Send one request; return the response whatever its status (see `check`)."""
        headers = {"X-Vault-Request": "true"}
        if authenticated and self._token:
            headers["X-Vault-Token"] = self._token
        if self.namespace:
            headers["X-Vault-Namespace"] = self.namespace
        content: bytes | None = None
        if body is not _NO_BODY:
            headers["Content-Type"] = content_type
            content = json.dumps(body).encode()
        url = self.url(path)
        try:
            return self._http.request(method, url, content=content, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise ConnectionFailed(self.address, f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise ConnectionFailed(self.address, _reason(exc)) from None

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any] | None:
        """Send and decode; raise `ApiError` on any status >= 400; None for an empty body (204)."""
        response = self.send(method, path, **kwargs)
        check(response)
        return decode(response)


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


def decode(response: httpx.Response) -> dict[str, Any] | None:
    if not response.content:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def check(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    body = decode(response) or {}
    raw = body.get("errors")
    errors = [str(e) for e in raw] if isinstance(raw, list) else []
    if not errors and not isinstance(raw, list) and response.text and not body:
        errors = [response.text.strip()[:500]]
    request = response.request
    raise ApiError(response.status_code, errors, method=request.method, url=str(request.url))
