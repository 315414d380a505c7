"""Stored records: roles and the secret IDs issued against them, with their JSON forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strongroom.auth.tokenfields import TokenParams
from strongroom.sdk.clock import rfc3339

# Vault's framework.GenericNameRegex, ASCII only; it also keeps "." and ".." out of storage keys.
NAME_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
# Vault refuses to HMAC longer inputs (role names, secret IDs).
MAX_INPUT_BYTES = 4096
_GO_ZERO_TIME = "0001-01-01T00:00:00Z"


@dataclass(frozen=True)
class Role:
    name: str
    role_id: str
    bind_secret_id: bool = True
    secret_id_bound_cidrs: tuple[str, ...] = ()
    secret_id_num_uses: int = 0
    secret_id_ttl: int = 0
    local_secret_ids: bool = False
    token: TokenParams = field(default_factory=TokenParams)

    def has_constraint(self) -> bool:
        return self.bind_secret_id or bool(self.secret_id_bound_cidrs) or bool(self.token.bound_cidrs)

    def to_data(self) -> dict[str, Any]:
        """What a read of the role shows (the role_id has its own endpoint)."""
        return {
            "bind_secret_id": self.bind_secret_id,
            "local_secret_ids": self.local_secret_ids,
            "secret_id_bound_cidrs": list(self.secret_id_bound_cidrs),
            "secret_id_num_uses": self.secret_id_num_uses,
            "secret_id_ttl": self.secret_id_ttl,
            **self.token.to_data(),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role_id": self.role_id,
            "bind_secret_id": self.bind_secret_id,
            "secret_id_bound_cidrs": list(self.secret_id_bound_cidrs),
            "secret_id_num_uses": self.secret_id_num_uses,
            "secret_id_ttl": self.secret_id_ttl,
            "local_secret_ids": self.local_secret_ids,
            "token": self.token.to_json(),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Role:
        return cls(
            name=raw["name"],
            role_id=raw["role_id"],
            bind_secret_id=raw["bind_secret_id"],
            secret_id_bound_cidrs=tuple(raw["secret_id_bound_cidrs"]),
            secret_id_num_uses=raw["secret_id_num_uses"],
            secret_id_ttl=raw["secret_id_ttl"],
            local_secret_ids=raw.get("local_secret_ids", False),
            token=TokenParams.from_json(raw["token"]),
        )


@dataclass(frozen=True)
class SecretId:
    """One issued secret ID. The secret itself is never stored: the record lives under its keyed hash."""

    accessor: str
    role: str
    num_uses: int
    ttl: int
    creation_time: float
    expiration_time: float  # 0: never expires
    last_updated_time: float
    metadata: Mapping[str, str] = field(default_factory=dict)
    cidr_list: tuple[str, ...] = ()
    token_bound_cidrs: tuple[str, ...] = ()

    def expired(self, now: float) -> bool:
        return bool(self.expiration_time) and now >= self.expiration_time

    def to_data(self) -> dict[str, Any]:
        """Vault's lookup shape."""
        return {
            "cidr_list": list(self.cidr_list),
            "creation_time": rfc3339(self.creation_time),
            "expiration_time": rfc3339(self.expiration_time) if self.expiration_time else _GO_ZERO_TIME,
            "last_updated_time": rfc3339(self.last_updated_time),
            "metadata": dict(self.metadata),
            "secret_id_accessor": self.accessor,
            "secret_id_num_uses": self.num_uses,
            "secret_id_ttl": self.ttl,
            "token_bound_cidrs": list(self.token_bound_cidrs),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "accessor": self.accessor,
            "role": self.role,
            "num_uses": self.num_uses,
            "ttl": self.ttl,
            "creation_time": self.creation_time,
            "expiration_time": self.expiration_time,
            "last_updated_time": self.last_updated_time,
            "metadata": dict(self.metadata),
            "cidr_list": list(self.cidr_list),
            "token_bound_cidrs": list(self.token_bound_cidrs),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> SecretId:
        return cls(
            accessor=raw["accessor"],
            role=raw["role"],
            num_uses=raw["num_uses"],
            ttl=raw["ttl"],
            creation_time=raw["creation_time"],
            expiration_time=raw["expiration_time"],
            last_updated_time=raw["last_updated_time"],
            metadata=dict(raw["metadata"]),
            cidr_list=tuple(raw["cidr_list"]),
            token_bound_cidrs=tuple(raw["token_bound_cidrs"]),
        )
