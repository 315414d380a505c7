"""Typed views of the server's replies.

Every view keeps the decoded JSON body in `raw` (excluded from `repr`), so a caller that needs a field this
module does not name can still reach it, and the CLI can print exactly what the server sent.
Token-bearing fields are excluded from `repr` so they never end up in a log line or a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


def _str(body: JSON, key: str) -> str:
    value = body.get(key)
    return value if isinstance(value, str) else ""


def _int(body: JSON, key: str) -> int:
    value = body.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _bool(body: JSON, key: str) -> bool:
    return body.get(key) is True


def _strs(body: JSON, key: str) -> tuple[str, ...]:
    value = body.get(key)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _dict(body: JSON, key: str) -> JSON:
    value = body.get(key)
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class SecretAuth:
    """The `auth` block of a login or token-create reply."""

    client_token: str = field(repr=False)
    accessor: str
    policies: tuple[str, ...]
    token_policies: tuple[str, ...]
    identity_policies: tuple[str, ...]
    metadata: JSON
    lease_duration: int
    renewable: bool
    entity_id: str
    token_type: str
    orphan: bool
    num_uses: int

    @classmethod
    def from_json(cls, body: JSON) -> SecretAuth:
        return cls(
            client_token=_str(body, "client_token"),
            accessor=_str(body, "accessor"),
            policies=_strs(body, "policies"),
            token_policies=_strs(body, "token_policies"),
            identity_policies=_strs(body, "identity_policies"),
            metadata=_dict(body, "metadata"),
            lease_duration=_int(body, "lease_duration"),
            renewable=_bool(body, "renewable"),
            entity_id=_str(body, "entity_id"),
            token_type=_str(body, "token_type"),
            orphan=_bool(body, "orphan"),
            num_uses=_int(body, "num_uses"),
        )


@dataclass(frozen=True)
class Secret:
    """The v1 envelope: `data` and/or `auth`, lease fields, warnings and wrap info."""

    request_id: str
    lease_id: str
    lease_duration: int
    renewable: bool
    data: JSON | None
    warnings: tuple[str, ...]
    auth: SecretAuth | None
    wrap_info: JSON | None
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, body: JSON) -> Secret:
        data = body.get("data")
        auth = body.get("auth")
        wrap = body.get("wrap_info")
        return cls(
            request_id=_str(body, "request_id"),
            lease_id=_str(body, "lease_id"),
            lease_duration=_int(body, "lease_duration"),
            renewable=_bool(body, "renewable"),
            data=data if isinstance(data, dict) else None,
            warnings=_strs(body, "warnings"),
            auth=SecretAuth.from_json(auth) if isinstance(auth, dict) else None,
            wrap_info=wrap if isinstance(wrap, dict) else None,
            raw=body,
        )


@dataclass(frozen=True)
class SealStatus:
    """`sys/seal-status` and `sys/unseal` (a bare body, no envelope)."""

    type: str
    initialized: bool
    sealed: bool
    t: int
    n: int
    progress: int
    nonce: str
    version: str
    storage_type: str
    cluster_name: str
    cluster_id: str
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, body: JSON) -> SealStatus:
        return cls(
            type=_str(body, "type"),
            initialized=_bool(body, "initialized"),
            sealed=_bool(body, "sealed"),
            t=_int(body, "t"),
            n=_int(body, "n"),
            progress=_int(body, "progress"),
            nonce=_str(body, "nonce"),
            version=_str(body, "version"),
            storage_type=_str(body, "storage_type"),
            cluster_name=_str(body, "cluster_name"),
            cluster_id=_str(body, "cluster_id"),
            raw=body,
        )


@dataclass(frozen=True)
class InitResult:
    """`PUT sys/init`: the unseal key shares and the initial root token."""

    keys: tuple[str, ...] = field(repr=False)
    keys_base64: tuple[str, ...] = field(repr=False)
    root_token: str = field(repr=False)
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, body: JSON) -> InitResult:
        return cls(
            keys=_strs(body, "keys"),
            keys_base64=_strs(body, "keys_base64"),
            root_token=_str(body, "root_token"),
            raw=body,
        )


@dataclass(frozen=True)
class KeyStatus:
    """`sys/key-status`: the barrier keyring's active term."""

    term: int
    install_time: str
    encryptions: int
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, data: JSON) -> KeyStatus:
        return cls(
            term=_int(data, "term"),
            install_time=_str(data, "install_time"),
            encryptions=_int(data, "encryptions"),
            raw=data,
        )


@dataclass(frozen=True)
class Mount:
    """One entry of `sys/mounts`, `sys/auth` or `sys/internal/ui/mounts/<path>`."""

    path: str
    type: str
    description: str
    accessor: str
    options: JSON
    config: JSON
    local: bool
    seal_wrap: bool
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, path: str, entry: JSON) -> Mount:
        return cls(
            path=path,
            type=_str(entry, "type"),
            description=_str(entry, "description"),
            accessor=_str(entry, "accessor"),
            options=_dict(entry, "options"),
            config=_dict(entry, "config"),
            local=_bool(entry, "local"),
            seal_wrap=_bool(entry, "seal_wrap"),
            raw=entry,
        )


@dataclass(frozen=True)
class AuditDevice:
    """One entry of `sys/audit`."""

    path: str
    type: str
    description: str
    options: JSON
    local: bool
    raw: JSON = field(repr=False)

    @classmethod
    def from_json(cls, path: str, entry: JSON) -> AuditDevice:
        return cls(
            path=path,
            type=_str(entry, "type"),
            description=_str(entry, "description"),
            options=_dict(entry, "options"),
            local=_bool(entry, "local"),
            raw=entry,
        )
