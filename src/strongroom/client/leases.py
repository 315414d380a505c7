"""`client.sys.leases`: look up, list, renew and revoke leases (`sys/leases/*`), as Vault's api.Sys does."""

from __future__ import annotations

from typing import Any

from strongroom.client._http import Transport, check, decode
from strongroom.client.models import Secret


def _clean(lease_id: str) -> str:
    return lease_id.strip().strip("/")


class LeaseApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def lookup(self, lease_id: str) -> Secret:
        """The lease's metadata in `data` (id, issue_time, expire_time, last_renewal, renewable, ttl)."""
        body = self._t.request("PUT", "sys/leases/lookup", body={"lease_id": lease_id.strip()})
        return Secret.from_json(body or {})

    def list(self, prefix: str = "") -> list[str]:
        """Lease ids one level below `prefix` (folders end in "/"); empty when there are none. Needs sudo."""
        response = self._t.send("GET", f"sys/leases/lookup/{_clean(prefix)}/", params={"list": "true"})
        if response.status_code == 404 and not (decode(response) or {}).get("errors"):
            return []
        check(response)
        data = (decode(response) or {}).get("data")
        keys = data.get("keys") if isinstance(data, dict) else None
        return [str(k) for k in keys] if isinstance(keys, list) else []

    def renew(self, lease_id: str, increment: int | str | None = None) -> Secret:
        """Ask for `increment` more (seconds or a duration like "1h"); the server may grant less."""
        body: dict[str, Any] = {"lease_id": lease_id.strip()}
        if increment is not None:
            body["increment"] = increment
        return Secret.from_json(self._t.request("PUT", "sys/leases/renew", body=body) or {})

    def revoke(self, lease_id: str, sync: bool = True) -> None:
        """Revoke one lease; an unknown id is not an error. `sync=False` queues the revocation (202)."""
        self._t.request("PUT", "sys/leases/revoke", body={"lease_id": lease_id.strip(), "sync": sync})

    def revoke_prefix(self, prefix: str, sync: bool = True) -> None:
        """Revoke every lease whose id starts with `prefix` (sudo)."""
        self._t.request("PUT", f"sys/leases/revoke-prefix/{_clean(prefix)}", body={"sync": sync})

    def revoke_force(self, prefix: str) -> None:
        """Remove every lease under `prefix` even when the engine cannot revoke its secret (sudo; recovery)."""
        self._t.request("PUT", f"sys/leases/revoke-force/{_clean(prefix)}")
