"""Strongroom's typed HTTP client for the Vault-compatible API.

    from strongroom.client import Client
    with Client.from_env() as client:
        client.secrets.kv.put("secret/app", {"password": "..."})
        print(client.secrets.kv.get("secret/app").data)

This package imports nothing else from `strongroom`, so it can be vendored or used by tools on its own.
"""

from strongroom.client.client import Client
from strongroom.client.config import ClientConfig, read_token_file, token_file_path, write_token_file
from strongroom.client.errors import ApiError, ClientError, ConnectionFailed, UsageError
from strongroom.client.models import AuditDevice, InitResult, KeyStatus, Mount, SealStatus, Secret, SecretAuth
from strongroom.client.secrets.kv import KvPath, KvSecret

__all__ = [
    "ApiError",
    "AuditDevice",
    "Client",
    "ClientConfig",
    "ClientError",
    "ConnectionFailed",
    "InitResult",
    "KeyStatus",
    "KvPath",
    "KvSecret",
    "Mount",
    "SealStatus",
    "Secret",
    "SecretAuth",
    "UsageError",
    "read_token_file",
    "token_file_path",
    "write_token_file",
]
