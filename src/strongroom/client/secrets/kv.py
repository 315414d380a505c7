"""`client.secrets.kv`: KV version 1 and 2 behind one interface.

Like the Vault CLI, every call first asks `sys/internal/ui/mounts/<path>` which mount serves the path and
which KV version it runs (`options.version == "2"` means v2, anything else v1), then rewrites
`secret/app` to `secret/data/app` (v2) or leaves it as is (v1).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strongroom.client._http import MERGE_PATCH, Transport, check, decode
from strongroom.client.errors import UsageError
from strongroom.client.models import JSON, Secret
from strongroom.client.sys import SysApi


@dataclass(frozen=True)
class KvPath:
    """A user path split into its mount (with trailing "/") and the key inside it."""

    mount: str
    key: str
    version: int

    def api(self, prefix: str) -> str:
        """The API path: `<mount><prefix>/<key>` on v2, `<mount><key>` on v1."""
        if self.version == 2:
            return f"{self.mount}{prefix}/{self.key}"
        return f"{self.mount}{self.key}"

    @property
    def display(self) -> str:
        return f"{self.mount}{self.key}"


@dataclass(frozen=True)
class KvSecret:
    """A KV read. `data` is None when the version is deleted or destroyed (`metadata` then says which)."""

    path: str
    kv_version: int
    data: JSON | None
    metadata: JSON | None
    secret: Secret = field(repr=False)


def _join(mount: str | None, path: str) -> str:
    path = path.lstrip("/")
    return f"{mount.strip('/')}/{path}" if mount else path


class KvApi:
    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self._sys = SysApi(transport)
        self.metadata = KvMetadataApi(self, transport)

    def resolve(self, path: str, mount: str | None = None) -> KvPath:
        """Find the mount and KV version serving `path` (or `<mount>/<path>` when `mount` is given)."""
        full = _join(mount, path)
        info = self._sys.mount_info(full)
        if info is None or not info.path:
            return KvPath(mount="", key=full, version=1)
        mount_path = info.path if info.path.endswith("/") else info.path + "/"
        key = full[len(mount_path) :] if full.startswith(mount_path) else full.partition("/")[2]
        version = 2 if str(info.options.get("version", "")) == "2" else 1
        return KvPath(mount=mount_path, key=key.lstrip("/"), version=version)

    def require_v2(self, kv: KvPath, operation: str) -> None:
        if kv.version != 2:
            raise UsageError(f"{operation} needs a KV version 2 mount; {kv.mount or kv.key!r} runs version 1")

    def get(self, path: str, version: int | None = None, mount: str | None = None) -> KvSecret | None:
        kv = self.resolve(path, mount)
        params = {"version": str(version)} if version is not None and kv.version == 2 else None
        api = kv.api("data")
        response = self._t.send("GET", api, params=params)
        body = decode(response)
        if response.status_code == 404:
            # A deleted or destroyed v2 version is a 404 that still carries its metadata.
            if body is None or body.get("data") is None:
                return None
        else:
            check(response)
        secret = Secret.from_json(body or {})
        if kv.version == 1:
            return KvSecret(api, 1, secret.data, None, secret)
        outer = secret.data or {}
        inner, meta = outer.get("data"), outer.get("metadata")
        return KvSecret(
            api, 2, inner if isinstance(inner, dict) else None, meta if isinstance(meta, dict) else None, secret
        )

    def put(
        self, path: str, data: Mapping[str, Any], cas: int | None = None, mount: str | None = None
    ) -> Secret | None:
        """Write a new version (v2; returns its metadata) or replace the secret (v1; returns None)."""
        kv = self.resolve(path, mount)
        if kv.version == 1:
            body: JSON = dict(data)
        else:
            body = {"data": dict(data), "options": {} if cas is None else {"cas": cas}}
        reply = self._t.request("PUT", kv.api("data"), body=body)
        return Secret.from_json(reply) if reply is not None else None

    def patch(
        self, path: str, data: Mapping[str, Any], cas: int | None = None, mount: str | None = None
    ) -> Secret | None:
        """JSON-merge-patch the latest version into a new one (v2 only); a None value removes a key."""
        kv = self.resolve(path, mount)
        self.require_v2(kv, "patch")
        body = {"data": dict(data), "options": {} if cas is None else {"cas": cas}}
        reply = self._t.request("PATCH", kv.api("data"), body=body, content_type=MERGE_PATCH)
        return Secret.from_json(reply) if reply is not None else None

    def list(self, path: str, mount: str | None = None) -> builtins.list[str] | None:
        kv = self.resolve(path, mount)
        response = self._t.send("GET", kv.api("metadata"), params={"list": "true"})
        if response.status_code == 404:
            return None
        check(response)
        data = (decode(response) or {}).get("data")
        keys = data.get("keys") if isinstance(data, dict) else None
        return [str(k) for k in keys] if isinstance(keys, builtins.list) else []

    def delete(self, path: str, versions: Sequence[int] | None = None, mount: str | None = None) -> None:
        """Delete the secret (v1), soft-delete the latest version (v2), or the given versions (v2)."""
        kv = self.resolve(path, mount)
        if versions:
            self.require_v2(kv, "deleting versions")
            self._t.request("POST", kv.api("delete"), body={"versions": builtins.list(versions)})
        else:
            self._t.request("DELETE", kv.api("data"))

    def undelete(self, path: str, versions: Sequence[int], mount: str | None = None) -> None:
        kv = self.resolve(path, mount)
        self.require_v2(kv, "undelete")
        self._t.request("POST", kv.api("undelete"), body={"versions": builtins.list(versions)})

    def destroy(self, path: str, versions: Sequence[int], mount: str | None = None) -> None:
        kv = self.resolve(path, mount)
        self.require_v2(kv, "destroy")
        self._t.request("PUT", kv.api("destroy"), body={"versions": builtins.list(versions)})


class KvMetadataApi:
    """`client.secrets.kv.metadata`: per-key metadata of a KV v2 mount."""

    def __init__(self, kv: KvApi, transport: Transport) -> None:
        self._kv = kv
        self._t = transport

    def get(self, path: str, mount: str | None = None) -> Secret | None:
        kv = self._kv.resolve(path, mount)
        self._kv.require_v2(kv, "metadata")
        response = self._t.send("GET", kv.api("metadata"))
        if response.status_code == 404:
            return None
        check(response)
        return Secret.from_json(decode(response) or {})

    def put(
        self,
        path: str,
        *,
        max_versions: int | None = None,
        cas_required: bool | None = None,
        delete_version_after: str | None = None,
        custom_metadata: Mapping[str, str] | None = None,
        mount: str | None = None,
    ) -> None:
        kv = self._kv.resolve(path, mount)
        self._kv.require_v2(kv, "metadata")
        body: JSON = {
            "max_versions": max_versions,
            "cas_required": cas_required,
            "delete_version_after": delete_version_after,
            "custom_metadata": dict(custom_metadata) if custom_metadata is not None else None,
        }
        self._t.request("POST", kv.api("metadata"), body={k: v for k, v in body.items() if v is not None})

    def delete(self, path: str, mount: str | None = None) -> None:
        """Delete every version and the metadata of a key."""
        kv = self._kv.resolve(path, mount)
        self._kv.require_v2(kv, "metadata")
        self._t.request("DELETE", kv.api("metadata"))
