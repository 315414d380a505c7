"""Helpers for the KMS tests: issuing SigV4 access keys through the Vault API and boto3 clients bound to them."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from serverproc import ServerProcess

KMS_POLICY = """
path "kms/*"          { capabilities = ["create", "read", "update", "delete", "list"] }
path "kms-aliases/*"  { capabilities = ["create", "read", "update", "delete", "list"] }
"""
ENCRYPT_ONLY_POLICY = 'path "kms/encrypt/*" { capabilities = ["update"] }'
REGION = "us-east-1"


def issue_key(server: ServerProcess, name: str, policies: list[str]) -> dict[str, str]:
    with server.client() as vault:
        vault.post("sys/policy/kms-user", json={"policy": KMS_POLICY}).raise_for_status()
        vault.post("sys/policy/kms-encrypt-only", json={"policy": ENCRYPT_ONLY_POLICY}).raise_for_status()
        response = vault.post(f"auth/sigv4/keys/{name}", json={"token_policies": policies})
        response.raise_for_status()
        data: dict[str, str] = response.json()["data"]
        return data


def client_for(server: ServerProcess, key: dict[str, str], region: str = REGION) -> Any:
    return boto3.client("kms", endpoint_url=server.addr, region_name=region,
                        aws_access_key_id=key["access_key_id"], aws_secret_access_key=key["secret_access_key"],
                        config=Config(retries={"max_attempts": 1}))


def error_code(exc: BaseException) -> str:
    return str(exc.response["Error"]["Code"])  # type: ignore[attr-defined]
