"""`client.token`: the token store mounted at `auth/token/`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from strongroom.client._http import Transport
from strongroom.client.models import Secret


def _secret(body: dict[str, Any] | None) -> Secret:
    return Secret.from_json(body or {})


class TokenApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def create(
        self,
        *,
        policies: Sequence[str] | None = None,
        ttl: str | int | None = None,
        explicit_max_ttl: str | int | None = None,
        period: str | int | None = None,
        num_uses: int | None = None,
        renewable: bool | None = None,
        display_name: str | None = None,
        meta: Mapping[str, str] | None = None,
        no_default_policy: bool = False,
        orphan: bool = False,
        role: str | None = None,
        type: str | None = None,
    ) -> Secret:
        """Create a child token (or an orphan via `create-orphan`, or against a token role).
        The new token is `result.auth.client_token`."""
        body: dict[str, Any] = {
            "policies": list(policies) if policies is not None else None,
            "ttl": ttl,
            "explicit_max_ttl": explicit_max_ttl,
            "period": period,
            "num_uses": num_uses,
            "renewable": renewable,
            "display_name": display_name,
            "meta": dict(meta) if meta is not None else None,
            "type": type,
        }
        body = {k: v for k, v in body.items() if v is not None}
        if no_default_policy:
            body["no_default_policy"] = True
        path = f"auth/token/create/{role}" if role else "auth/token/create-orphan" if orphan else "auth/token/create"
        return _secret(self._t.request("POST", path, body=body))

    def lookup(self, token: str) -> Secret:
        return _secret(self._t.request("POST", "auth/token/lookup", body={"token": token}))

    def lookup_self(self) -> Secret:
        return _secret(self._t.request("GET", "auth/token/lookup-self"))

    def lookup_accessor(self, accessor: str) -> Secret:
        return _secret(self._t.request("POST", "auth/token/lookup-accessor", body={"accessor": accessor}))

    def renew(self, token: str, increment: str | int | None = None) -> Secret:
        body: dict[str, Any] = {"token": token}
        if increment is not None:
            body["increment"] = increment
        return _secret(self._t.request("POST", "auth/token/renew", body=body))

    def renew_self(self, increment: str | int | None = None) -> Secret:
        body: dict[str, Any] = {} if increment is None else {"increment": increment}
        return _secret(self._t.request("POST", "auth/token/renew-self", body=body))

    def revoke(self, token: str) -> None:
        """Revoke a token and its whole subtree."""
        self._t.request("POST", "auth/token/revoke", body={"token": token})

    def revoke_self(self) -> None:
        self._t.request("POST", "auth/token/revoke-self")

    def revoke_accessor(self, accessor: str) -> None:
        self._t.request("POST", "auth/token/revoke-accessor", body={"accessor": accessor})

    def revoke_orphan(self, token: str) -> None:
        self._t.request("POST", "auth/token/revoke-orphan", body={"token": token})

    def capabilities(self, paths: Sequence[str], token: str | None = None) -> dict[str, list[str]]:
        """Capabilities per path for `token`, or for the client's own token when omitted."""
        if token is None:
            body = self._t.request("POST", "sys/capabilities-self", body={"paths": list(paths)})
        else:
            body = self._t.request("POST", "sys/capabilities", body={"token": token, "paths": list(paths)})
        raw = body or {}
        data = raw.get("data")
        if not isinstance(data, dict):
            data = raw
        return {p: [str(c) for c in data.get(p) or []] for p in paths}
