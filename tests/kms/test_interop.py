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


def test_asymmetric_and_hmac_keys_rotated_through_transit_keep_old_material(server: ServerProcess, kms: Any) -> None:
    """KMS never rotates these keys, but transit may: material made before stays usable from the KMS face until
    min_decryption_version moves past it, since RSA ciphertexts, signatures and MACs name no version."""
    rsa_enc = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    signer = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    mac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
    sealed = kms.encrypt(KeyId=rsa_enc, Plaintext=b"old", EncryptionAlgorithm="RSAES_OAEP_SHA_256")["CiphertextBlob"]
    signature = kms.sign(KeyId=signer, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    mac = kms.generate_mac(KeyId=mac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    with server.client() as vault:
        for key_id in (rsa_enc, signer, mac_key):
            vault.post(f"kms/keys/{key_id}/rotate").raise_for_status()

    def uses() -> dict[str, Any]:
        return {
            "decrypt": lambda: kms.decrypt(CiphertextBlob=sealed, KeyId=rsa_enc,
                                           EncryptionAlgorithm="RSAES_OAEP_SHA_256")["Plaintext"],
            "verify": lambda: kms.verify(KeyId=signer, Message=b"m", Signature=signature,
                                         SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"],
            "verify_mac": lambda: kms.verify_mac(KeyId=mac_key, Message=b"m", Mac=mac,
                                                 MacAlgorithm="HMAC_SHA_256")["MacValid"],
        }

    assert {name: use() for name, use in uses().items()} == {"decrypt": b"old", "verify": True, "verify_mac": True}
    # New material comes from version 2 and works as well; a wrong message still fails.
    new_mac = kms.generate_mac(KeyId=mac_key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert new_mac != mac
    assert kms.verify_mac(KeyId=mac_key, Message=b"m", Mac=new_mac, MacAlgorithm="HMAC_SHA_256")["MacValid"]
    with pytest.raises(ClientError) as caught:
        kms.verify(KeyId=signer, Message=b"n", Signature=signature, SigningAlgorithm="ECDSA_SHA_256")
    assert error_code(caught.value) == "KMSInvalidSignatureException"
    with server.client() as vault:
        for key_id in (rsa_enc, signer, mac_key):
            vault.post(f"kms/keys/{key_id}/config", json={"min_decryption_version": 2}).raise_for_status()
    expected = {"decrypt": "InvalidCiphertextException", "verify": "KMSInvalidSignatureException",
                "verify_mac": "KMSInvalidMacException"}
    for name, use in uses().items():
        with pytest.raises(ClientError) as caught:
            use()
        assert error_code(caught.value) == expected[name], name
