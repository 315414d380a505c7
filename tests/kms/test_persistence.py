"""The deletion deadline is stored with the key: it survives a restart, and once it passes the key is gone."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError
from kms_support import KMS_POLICY, client_for, error_code

from serverproc import ServerProcess, free_port, start


def _unseal(proc: ServerProcess, keys: list[str]) -> None:
    for key in keys[:2]:
        httpx.put(proc.url("sys/unseal"), json={"key": key}, timeout=30).raise_for_status()


def test_deletion_deadline_survives_restart_and_then_deletes(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "server.hcl"
    config.write_text(f'storage "sqlite" {{\n  path = "{tmp_path / "data.db"}"\n}}\n'
                      f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n}}\nworkers = 1\n')
    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    init = httpx.put(proc.url("sys/init"), json={"secret_shares": 3, "secret_threshold": 2}, timeout=30).json()
    keys, token = init["keys"], init["root_token"]
    _unseal(proc, keys)
    with proc.client(token) as vault:
        vault.post("sys/auth/sigv4", json={"type": "sigv4"}).raise_for_status()
        vault.post("sys/policy/kms-user", json={"policy": KMS_POLICY}).raise_for_status()
        access = vault.post("auth/sigv4/keys/ops", json={"token_policies": ["kms-user"]}).json()["data"]
    kms = client_for(proc, access)
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"kept")["CiphertextBlob"]
    deadline = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["DeletionDate"]
    proc.stop()

    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    try:
        _unseal(proc, keys)
        kms = client_for(proc, access)
        described = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        assert described["KeyState"] == "PendingDeletion" and described["DeletionDate"] == deadline
        with pytest.raises(ClientError) as caught:
            kms.decrypt(CiphertextBlob=blob)
        assert error_code(caught.value) == "KMSInvalidStateException"
        kms.cancel_key_deletion(KeyId=key_id)
        kms.enable_key(KeyId=key_id)
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"kept"
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        # Move the stored deadline into the past (through transit, as an operator could) and let the
        # server's periodic task delete the key.
        with proc.client(token) as vault:
            vault.post(f"kms/keys/{key_id}/config", json={"delete_after": "2001-01-01T00:00:00Z"}).raise_for_status()
        for _ in range(60):
            try:
                kms.describe_key(KeyId=key_id)
            except ClientError as exc:
                assert error_code(exc) == "NotFoundException"
                break
            time.sleep(0.5)
        else:
            pytest.fail("the key was not deleted after its deadline")
        with pytest.raises(ClientError) as caught:
            kms.decrypt(CiphertextBlob=blob, KeyId=key_id)
        assert error_code(caught.value) == "NotFoundException"
        with pytest.raises(ClientError) as caught:
            kms.decrypt(CiphertextBlob=blob)
        assert error_code(caught.value) == "InvalidCiphertextException"
    finally:
        proc.stop()
