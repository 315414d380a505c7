"""`client.auth`: login helpers for the auth methods. Logins send no token; on success the client adopts
the new token unless `use_token=False`."""

from __future__ import annotations

from typing import Any

from strongroom.client._http import Transport
from strongroom.client.errors import ApiError
from strongroom.client.models import Secret


def _login(transport: Transport, path: str, body: dict[str, Any], use_token: bool) -> Secret:
    secret = Secret.from_json(transport.request("POST", path, body=body, authenticated=False) or {})
    if secret.auth is None or not secret.auth.client_token:
        raise ApiError(500, ["login response carried no token"], "POST", transport.url(path))
    if use_token:
        transport.token = secret.auth.client_token
    return secret


class UserpassAuth:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def login(self, username: str, password: str, mount: str = "userpass", use_token: bool = True) -> Secret:
        path = f"auth/{mount.strip('/')}/login/{username}"
        return _login(self._t, path, {"password": password}, use_token)


class AppRoleAuth:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def login(
        self, role_id: str, secret_id: str | None = None, mount: str = "approle", use_token: bool = True
    ) -> Secret:
        body: dict[str, Any] = {"role_id": role_id}
        if secret_id is not None:
            body["secret_id"] = secret_id
        return _login(self._t, f"auth/{mount.strip('/')}/login", body, use_token)


class AuthMethods:
    def __init__(self, transport: Transport) -> None:
        self.userpass = UserpassAuth(transport)
        self.approle = AppRoleAuth(transport)
