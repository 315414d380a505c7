"""`kms_listener`: the KMS API on a port of its own, beside the Vault API's listener, over the same keys."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import httpx
from kms_support import client_for, issue_key

from serverproc import free_port, start


def test_kms_api_on_a_listener_of_its_own(tmp_path: Path) -> None:
    kms_port = free_port()
    config = tmp_path / "kms.hcl"
    config.write_text(f'kms_listener "tcp" {{\n  address = "127.0.0.1:{kms_port}"\n}}\n')
    server = start(tmp_path, "--config", str(config))
    try:
        kms_addr = f"http://127.0.0.1:{kms_port}"
        for _ in range(100):  # the second listener may bind a moment after the first answers
            try:
                httpx.post(kms_addr + "/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        kms = client_for(dataclasses.replace(server, addr=kms_addr), issue_key(server, "own-port", ["kms-user"]))
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        blob = kms.encrypt(KeyId=key_id, Plaintext=b"over its own port")["CiphertextBlob"]
        assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"over its own port"
        # The same key, through the Vault API on the main listener.
        with server.client() as vault:
            assert vault.get(f"kms/keys/{key_id}").json()["data"]["type"] == "aes256-gcm96"
        # The KMS port serves only the KMS API; the main listener still answers it too.
        assert httpx.get(kms_addr + "/v1/sys/health", timeout=10).status_code != 200
        assert client_for(server, issue_key(server, "main-port", ["kms-user"])).describe_key(
            KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    finally:
        server.stop()
