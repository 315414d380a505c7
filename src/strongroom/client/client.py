"""`Client`: the generic logical operations plus one explicit attribute per API family."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

import httpx

from strongroom.client._http import Transport, check, decode
from strongroom.client.auth import AuthMethods
from strongroom.client.config import ClientConfig
from strongroom.client.models import Secret
from strongroom.client.secrets import SecretsEngines
from strongroom.client.sys import SysApi
from strongroom.client.token import TokenApi

DEFAULT_TIMEOUT = 60.0


def _is_plain_not_found(body: dict[str, Any] | None) -> bool:
    """Vault answers "nothing stored here" with `{"errors": []}`; messages mean something else."""
    return body is None or not body.get("errors")


class Client:
    """A synchronous client of the Vault-compatible HTTP API.

    `verify` is True (system CAs), False (no verification) or the path of a CA bundle.
    """

    def __init__(
        self,
        addr: str,
        token: str | None = None,
        namespace: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        http: httpx.Client | None = None,
    ) -> None:
        self._transport = Transport(addr, token, namespace, verify, timeout, http)
        self.sys = SysApi(self._transport)
        self.token = TokenApi(self._transport)
        self.secrets = SecretsEngines(self._transport)
        self.auth = AuthMethods(self._transport)

    @classmethod
    def from_config(cls, config: ClientConfig, timeout: float = DEFAULT_TIMEOUT) -> Client:
        return cls(config.address, config.token, config.namespace, config.verify, timeout)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Client:
        """Configure from STRONGROOM_* / VAULT_* / BAO_* variables and the token file."""
        return cls.from_config(ClientConfig.from_env(environ), timeout)

    def __repr__(self) -> str:
        return f"Client(addr={self.address!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    @property
    def address(self) -> str:
        return self._transport.address

    @property
    def has_token(self) -> bool:
        return bool(self._transport.token)

    def set_token(self, token: str | None) -> None:
        self._transport.token = token

    def read(self, path: str, /, **params: str) -> Secret | None:
        """GET a path. None when nothing is there (a 404 with an empty error list); a 404 that carries
        data (a deleted KV v2 version) is returned as a Secret, as the Vault client does. A 404 with
        messages ("no handler for route ...") raises ApiError: it means the path is wrong."""
        response = self._transport.send("GET", path, params=params or None)
        if response.status_code == 404:
            body = decode(response)
            if body is not None and (body.get("data") is not None or body.get("warnings")):
                return Secret.from_json(body)
            if _is_plain_not_found(body):
                return None
        check(response)
        body = decode(response)
        return Secret.from_json(body) if body is not None else None

    def write(self, path: str, /, **data: Any) -> Secret | None:
        """PUT `data` as the JSON body; None on 204."""
        return self.write_data(path, data)

    def write_data(self, path: str, data: Mapping[str, Any] | None) -> Secret | None:
        """Like `write`, for keys that are not Python identifiers; `None` sends the JSON `null` body."""
        body = self._transport.request("PUT", path, body=None if data is None else dict(data))
        return Secret.from_json(body) if body is not None else None

    def list(self, path: str, /) -> builtins.list[str] | None:
        """The keys under a path (folders end in "/"), or None when there is nothing."""
        response = self._transport.send("GET", path, params={"list": "true"})
        if response.status_code == 404 and _is_plain_not_found(decode(response)):
            return None
        check(response)
        body = decode(response) or {}
        data = body.get("data")
        keys = data.get("keys") if isinstance(data, dict) else None
        return [str(k) for k in keys] if isinstance(keys, builtins.list) else []

    def delete(self, path: str, /) -> Secret | None:
        body = self._transport.request("DELETE", path)
        return Secret.from_json(body) if body is not None else None
