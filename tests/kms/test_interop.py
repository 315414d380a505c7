"""Beyond the peers: a key made through the KMS API is a transit key, and a transit key is a KMS key; every use,
from either face, lands in the one audit log (with secrets HMAC'd)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from kms_support import client_for, error_code, issue_key

from serverproc import ServerProcess, start

CANARY = b"kms-interop-canary-plaintext"


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path]]:
    tmp_path = tmp_path_factory.mktemp("kms-audited")
    log = tmp_path / "audit.log"
    config = tmp_path / "audit.hcl"
    config.write_text(f'audit "file" "main" {{\n  options {{\n    file_path = "{log}"\n  }}\n}}\n')
    proc = start(tmp_path, "--config", str(config))
    yield proc, log
    proc.stop()


def _entries(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def test_kms_key_used_from_transit_and_transit_key_from_kms(audited: tuple[ServerProcess, Path]) -> None:
    server, log = audited
    kms = client_for(server, issue_key(server, "interop", ["kms-user"]))
    key_id = kms.create_key(Description="made by KMS")["KeyMetadata"]["KeyId"]
    with server.client() as vault:
        # The KMS key through the Vault transit API.
        plaintext = base64.b64encode(CANARY).decode()
        sealed = vault.post(f"kms/encrypt/{key_id}", json={"plaintext": plaintext}).json()["data"]["ciphertext"]
        assert vault.post(f"kms/decrypt/{key_id}", json={"ciphertext": sealed}).json()["data"]["plaintext"] == plaintext
        info = vault.get(f"kms/keys/{key_id}").json()["data"]
        assert info["type"] == "aes256-gcm96" and info["custom_metadata"]["kms:description"] == "made by KMS"
        # A transit key through the KMS API.
        vault.post("kms/keys/payments", json={"type": "aes256-gcm96"}).raise_for_status()
        vault.post("kms/keys/signer", json={"type": "ecdsa-p256"}).raise_for_status()
    blob = kms.encrypt(KeyId="payments", Plaintext=CANARY)
    assert blob["KeyId"] == "arn:aws:kms:us-east-1:123456789012:key/payments"
    assert kms.decrypt(CiphertextBlob=blob["CiphertextBlob"])["Plaintext"] == CANARY
    signer = kms.describe_key(KeyId="signer")["KeyMetadata"]
    assert (signer["KeySpec"], signer["KeyUsage"]) == ("ECC_NIST_P256", "SIGN_VERIFY")
    kms.sign(KeyId="signer", Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
    # Disabling through KMS stops transit use too.
    kms.disable_key(KeyId=key_id)
    with server.client() as vault:
        assert vault.post(f"kms/encrypt/{key_id}", json={"plaintext": plaintext}).status_code == 400
    with pytest.raises(ClientError) as caught:
        kms.encrypt(KeyId=key_id, Plaintext=b"x")
    assert error_code(caught.value) == "DisabledException"

    entries = _entries(log)
    encrypts = [e for e in entries if e["type"] == "response" and e["request"]["path"] in
                (f"kms/encrypt/{key_id}", "kms/encrypt/payments")]
    faces = {(e["request"]["path"], e["auth"]["display_name"].split("-")[0]) for e in encrypts}
    assert (f"kms/encrypt/{key_id}", "root") in faces  # the Vault face, with the root token
    assert ("kms/encrypt/payments", "sigv4") in faces  # the KMS face, with the token the access key got
    assert any(e["request"]["path"] == "auth/sigv4/verify" for e in entries)
    assert CANARY not in log.read_bytes()
    assert base64.b64encode(CANARY) not in log.read_bytes()
