"""`client.auth`: login helpers for the auth methods. Logins send no token; on success the client adopts
the new token unless `use_token=False`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.client._http import Transport, check, decode
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


class JwtAuth:
    """The jwt/oidc method's JWT login (workloads and CI systems with a signed token)."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def login(self, jwt: str, role: str | None = None, mount: str = "jwt", use_token: bool = True) -> Secret:
        body: dict[str, Any] = {"jwt": jwt}
        if role:
            body["role"] = role
        return _login(self._t, f"auth/{mount.strip('/')}/login", body, use_token)


class GitHubAuth:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def login(self, token: str, mount: str = "github", use_token: bool = True) -> Secret:
        """Log in with a GitHub personal access token (read:org)."""
        return _login(self._t, f"auth/{mount.strip('/')}/login", {"token": token}, use_token)


class OidcAuth:
    """The two halves of the OIDC authorization-code flow; the browser does what happens in between."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def auth_url(self, redirect_uri: str, role: str | None = None, client_nonce: str = "", mount: str = "oidc") -> str:
        """The provider URL to open in a browser; the server keeps state, nonce and PKCE verifier for it."""
        body: dict[str, Any] = {"redirect_uri": redirect_uri}
        if role:
            body["role"] = role
        if client_nonce:
            body["client_nonce"] = client_nonce
        path = f"auth/{mount.strip('/')}/oidc/auth_url"
        reply = self._t.request("POST", path, body=body, authenticated=False) or {}
        data = reply.get("data")
        url = data.get("auth_url") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url:
            raise ApiError(400, [f"no auth_url for role {role or '(default)'!r} and redirect_uri {redirect_uri!r}"],
                           "POST", self._t.url(path))
        return url

    def callback(self, params: Mapping[str, str], client_nonce: str = "", mount: str = "oidc",
                 use_token: bool = True) -> Secret:
        """Finish the login with what the provider sent the browser back with (state and code, or error)."""
        query = {k: v for k, v in params.items() if k in _CALLBACK_FIELDS and v}
        if client_nonce:
            query["client_nonce"] = client_nonce
        path = f"auth/{mount.strip('/')}/oidc/callback"
        response = self._t.send("GET", path, params=query, authenticated=False)
        check(response)
        secret = Secret.from_json(decode(response) or {})
        if secret.auth is None or not secret.auth.client_token:
            raise ApiError(500, ["login response carried no token"], "GET", self._t.url(path))
        if use_token:
            self._t.token = secret.auth.client_token
        return secret


_CALLBACK_FIELDS = frozenset({"state", "code", "id_token", "error", "error_description"})


class AuthMethods:
    def __init__(self, transport: Transport) -> None:
        self.userpass = UserpassAuth(transport)
        self.approle = AppRoleAuth(transport)
        self.jwt = JwtAuth(transport)
        self.oidc = OidcAuth(transport)
        self.github = GitHubAuth(transport)
