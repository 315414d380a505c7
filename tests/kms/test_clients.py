"""Real clients through our endpoint: the AWS Encryption SDK encrypting and decrypting a file with key
commitment, and the AWS CLI (v1, from PyPI)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_encryption_sdk
import boto3
import pytest
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import Algorithm
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter, StrictAwsKmsMasterKeyProvider

from serverproc import ServerProcess


def _provider(server: ServerProcess, key: dict[str, str], key_ids: list[str]) -> StrictAwsKmsMasterKeyProvider:
    """The ESDK maintainers' pattern for a custom endpoint: override the regional client factory."""

    class LocalProvider(StrictAwsKmsMasterKeyProvider):  # type: ignore[misc]
        def add_regional_client(self, region_name: str) -> None:
            if region_name not in self._regional_clients:
                client = boto3.session.Session().client(
                    "kms", region_name=region_name, endpoint_url=server.addr,
                    aws_access_key_id=key["access_key_id"], aws_secret_access_key=key["secret_access_key"])
                self._register_client(client, region_name)
                self._regional_clients[region_name] = client

    return LocalProvider(key_ids=key_ids)


def test_encryption_sdk_file_round_trip_with_key_commitment(server: ServerProcess, kms: Any,
                                                            kms_key: dict[str, str], tmp_path: Path) -> None:
    first = kms.create_key(Description="esdk wrapping key 1")["KeyMetadata"]["Arn"]
    second = kms.create_key(Description="esdk wrapping key 2")["KeyMetadata"]["Arn"]
    source = tmp_path / "report.bin"
    source.write_bytes(os.urandom(300_000))
    esdk = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    provider = _provider(server, kms_key, [first, second])
    encrypted = tmp_path / "report.bin.encrypted"
    with source.open("rb") as plain, encrypted.open("wb") as out, esdk.stream(
            mode="e", source=plain, key_provider=provider, encryption_context={"tenant": "acme"}) as encryptor:
        for chunk in encryptor:
            out.write(chunk)
        header = encryptor.header
    assert header.algorithm == Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    assert {k.key_provider.key_info.decode() for k in header.encrypted_data_keys} == {first, second}
    # Decrypt with only the second wrapping key configured.
    decrypted = tmp_path / "report.bin.decrypted"
    with encrypted.open("rb") as cipher, decrypted.open("wb") as out, esdk.stream(
            mode="d", source=cipher, key_provider=_provider(server, kms_key, [second])) as decryptor:
        for chunk in decryptor:
            out.write(chunk)
        assert decryptor.header.encryption_context["tenant"] == "acme"
    assert decrypted.read_bytes() == source.read_bytes()


def test_encryption_sdk_discovery_mode(server: ServerProcess, kms: Any, kms_key: dict[str, str]) -> None:
    from aws_encryption_sdk.key_providers.kms import DiscoveryAwsKmsMasterKeyProvider

    arn = kms.create_key()["KeyMetadata"]["Arn"]
    esdk = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertext, _ = esdk.encrypt(source=b"payload", key_provider=_provider(server, kms_key, [arn]))

    class LocalDiscovery(DiscoveryAwsKmsMasterKeyProvider):  # type: ignore[misc]
        def add_regional_client(self, region_name: str) -> None:
            if region_name not in self._regional_clients:
                client = boto3.session.Session().client(
                    "kms", region_name=region_name, endpoint_url=server.addr,
                    aws_access_key_id=kms_key["access_key_id"], aws_secret_access_key=kms_key["secret_access_key"])
                self._register_client(client, region_name)
                self._regional_clients[region_name] = client

    discovery = LocalDiscovery(discovery_filter=DiscoveryFilter(account_ids=["123456789012"], partition="aws"))
    plaintext, _ = esdk.decrypt(source=ciphertext, key_provider=discovery)
    assert plaintext == b"payload"


def _aws_cli() -> list[str]:
    found = shutil.which("aws", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the AWS CLI (PyPI awscli) is not installed")
    return [found]


def test_aws_cli_v1(server: ServerProcess, kms_key: dict[str, str], tmp_path: Path) -> None:
    aws = _aws_cli()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": kms_key["access_key_id"],
           "AWS_SECRET_ACCESS_KEY": kms_key["secret_access_key"], "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}

    def run(*args: str) -> str:
        done = subprocess.run([*aws, "--endpoint-url", server.addr, "kms", *args], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    key_id = run("create-key", "--description", "cli", "--query", "KeyMetadata.KeyId", "--output", "text")
    run("create-alias", "--alias-name", "alias/cli-test", "--target-key-id", key_id)
    (tmp_path / "pt.bin").write_bytes(b"\x00\x01binary plaintext\xff")
    blob = run("encrypt", "--key-id", "alias/cli-test", "--plaintext", f"fileb://{tmp_path / 'pt.bin'}",
               "--encryption-context", "purpose=demo", "--query", "CiphertextBlob", "--output", "text")
    (tmp_path / "ct.bin").write_bytes(base64.b64decode(blob))
    plain = run("decrypt", "--ciphertext-blob", f"fileb://{tmp_path / 'ct.bin'}", "--encryption-context",
                "purpose=demo", "--query", "Plaintext", "--output", "text")
    assert base64.b64decode(plain) == (tmp_path / "pt.bin").read_bytes()
    assert run("describe-key", "--key-id", key_id, "--query", "KeyMetadata.KeyState", "--output", "text") == "Enabled"
    listed = run("list-aliases", "--key-id", key_id, "--query", "Aliases[].AliasName", "--output", "text")
    assert listed == "alias/cli-test"
    done = subprocess.run([*aws, "--endpoint-url", server.addr, "kms", "decrypt", "--ciphertext-blob",
                           f"fileb://{tmp_path / 'ct.bin'}"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "InvalidCiphertextException" in done.stderr
