"""`client.sys`: seal lifecycle, keyring, mounts, auth methods, policies, audit devices; `sys.leases`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from strongroom.client._http import Transport, check, decode
from strongroom.client.leases import LeaseApi
from strongroom.client.models import JSON, AuditDevice, InitResult, KeyStatus, Mount, SealStatus


def _payload(body: JSON | None) -> JSON:
    """The `data` of an envelope, or the body itself for legacy bare replies."""
    if body is None:
        return {}
    data = body.get("data")
    return data if isinstance(data, dict) else body


def _mounts(body: JSON | None) -> dict[str, Mount]:
    return {p: Mount.from_json(p, e) for p, e in _payload(body).items() if isinstance(e, dict)}


def _clean(path: str) -> str:
    return path.strip("/")


class SysApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self.leases = LeaseApi(transport)

    # -- seal lifecycle (bare bodies, no envelope) --------------------------------------------------------

    def seal_status(self) -> SealStatus:
        return SealStatus.from_json(self._t.request("GET", "sys/seal-status", authenticated=False) or {})

    def leader(self) -> JSON:
        return self._t.request("GET", "sys/leader", authenticated=False) or {}

    def health(self) -> JSON:
        """`sys/health` with every state mapped to 200, so the body is always returned."""
        params = {"standbyok": "true", "sealedcode": "200", "uninitcode": "200"}
        return self._t.request("GET", "sys/health", params=params, authenticated=False) or {}

    def is_initialized(self) -> bool:
        body = self._t.request("GET", "sys/init", authenticated=False) or {}
        return body.get("initialized") is True

    def init(self, secret_shares: int = 5, secret_threshold: int = 3) -> InitResult:
        body = {"secret_shares": secret_shares, "secret_threshold": secret_threshold}
        return InitResult.from_json(self._t.request("PUT", "sys/init", body=body, authenticated=False) or {})

    def unseal(self, key: str | None = None, reset: bool = False) -> SealStatus:
        body: JSON = {"reset": True} if reset else {"key": key}
        return SealStatus.from_json(self._t.request("PUT", "sys/unseal", body=body, authenticated=False) or {})

    def seal(self) -> None:
        self._t.request("PUT", "sys/seal")

    def rotate(self) -> None:
        self._t.request("PUT", "sys/rotate")

    def key_status(self) -> KeyStatus:
        return KeyStatus.from_json(_payload(self._t.request("GET", "sys/key-status")))

    # -- secrets engines ------------------------------------------------------------------------------

    def mounts(self) -> dict[str, Mount]:
        return _mounts(self._t.request("GET", "sys/mounts"))

    def enable_secrets(
        self,
        path: str,
        type: str,
        description: str = "",
        options: Mapping[str, str] | None = None,
        config: Mapping[str, Any] | None = None,
        local: bool = False,
        seal_wrap: bool = False,
    ) -> None:
        body = {
            "type": type,
            "description": description,
            "config": dict(config or {}),
            "options": dict(options) if options else None,
            "local": local,
            "seal_wrap": seal_wrap,
        }
        self._t.request("POST", f"sys/mounts/{_clean(path)}", body=body)

    def disable_secrets(self, path: str) -> None:
        self._t.request("DELETE", f"sys/mounts/{_clean(path)}")

    def read_tune(self, path: str) -> JSON:
        return _payload(self._t.request("GET", f"sys/mounts/{_clean(path)}/tune"))

    def tune(self, path: str, **config: Any) -> None:
        """Tune a secrets engine: default_lease_ttl, max_lease_ttl, description, options, ..."""
        self._t.request("POST", f"sys/mounts/{_clean(path)}/tune", body=config)

    def mount_info(self, path: str) -> Mount | None:
        """The mount serving `path` (`sys/internal/ui/mounts/<path>`); None when the server has no such
        endpoint (404). A path outside every mount, or not reachable by the token, raises ApiError 403."""
        response = self._t.send("GET", f"sys/internal/ui/mounts/{path.lstrip('/')}")
        if response.status_code == 404:
            return None
        check(response)
        data = _payload(decode(response))
        return Mount.from_json(str(data.get("path") or ""), data)

    def scan_fingerprints(self, fingerprints: Sequence[str]) -> JSON:
        """Which of the scanner's wire fingerprints are values the server keeps (`sys/scan/fingerprints`,
        sudo): `{"matches": [{"fingerprint", "mount", "path", "version", "field"}, ...]}`."""
        return _payload(self._t.request("POST", "sys/scan/fingerprints", body={"fingerprints": list(fingerprints)}))

    # -- auth methods ---------------------------------------------------------------------------------

    def auth_methods(self) -> dict[str, Mount]:
        return _mounts(self._t.request("GET", "sys/auth"))

    def enable_auth(
        self,
        path: str,
        type: str,
        description: str = "",
        config: Mapping[str, Any] | None = None,
        local: bool = False,
        options: Mapping[str, str] | None = None,
    ) -> None:
        body: JSON = {"type": type, "description": description, "config": dict(config or {}), "local": local}
        if options:
            body["options"] = dict(options)
        self._t.request("POST", f"sys/auth/{_clean(path)}", body=body)

    def disable_auth(self, path: str) -> None:
        self._t.request("DELETE", f"sys/auth/{_clean(path)}")

    def tune_auth(self, path: str, **config: Any) -> None:
        self._t.request("POST", f"sys/auth/{_clean(path)}/tune", body=config)

    # -- ACL policies ---------------------------------------------------------------------------------

    def list_policies(self) -> list[str]:
        body = self._t.request("GET", "sys/policies/acl", params={"list": "true"})
        keys = _payload(body).get("keys")
        return [str(k) for k in keys] if isinstance(keys, list) else []

    def read_policy(self, name: str) -> str | None:
        """The policy text, or None when there is no such policy."""
        response = self._t.send("GET", f"sys/policies/acl/{name}")
        if response.status_code == 404:
            return None
        check(response)
        text = _payload(decode(response)).get("policy")
        return text if isinstance(text, str) else ""

    def write_policy(self, name: str, policy: str) -> None:
        self._t.request("PUT", f"sys/policies/acl/{name}", body={"policy": policy})

    def delete_policy(self, name: str) -> None:
        self._t.request("DELETE", f"sys/policies/acl/{name}")

    # -- audit ----------------------------------------------------------------------------------------

    def audit_devices(self) -> dict[str, AuditDevice]:
        body = _payload(self._t.request("GET", "sys/audit"))
        return {p: AuditDevice.from_json(p, e) for p, e in body.items() if isinstance(e, dict)}
