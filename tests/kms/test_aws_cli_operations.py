"""Every KMS operation the face offers, through the AWS CLI (v1, PyPI `awscli`) against a running server.

The CLI's own driver runs in this process (`awscli.clidriver`, the code behind the `aws` command, argument
parsing, `fileb://` blobs and JSON output included), so forty operations cost seconds rather than one interpreter
start each; `test_clients.py` also runs the `aws` executable itself.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from awscli.clidriver import create_clidriver

from serverproc import ServerProcess


class Cli:
    def __init__(self, endpoint: str, tmp: Path) -> None:
        self.endpoint = endpoint
        self.tmp = tmp
        self._files = 0

    def call(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = create_clidriver().main(["--endpoint-url", self.endpoint, "--output", "json", "kms", *args])
        return code, out.getvalue(), err.getvalue()

    def __call__(self, *args: str) -> Any:
        code, out, err = self.call(*args)
        assert code == 0, err
        return json.loads(out) if out.strip() else {}

    def fails(self, error: str, *args: str) -> None:
        code, _, err = self.call(*args)
        assert code != 0 and f"({error})" in err, err

    def blob(self, data: bytes) -> str:
        """A `fileb://` argument holding `data`."""
        self._files += 1
        path = self.tmp / f"blob{self._files}.bin"
        path.write_bytes(data)
        return f"fileb://{path}"


@pytest.fixture
def aws(server: ServerProcess, kms_key: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name, value in {"AWS_ACCESS_KEY_ID": kms_key["access_key_id"],
                        "AWS_SECRET_ACCESS_KEY": kms_key["secret_access_key"], "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_KMS", raising=False)
    return Cli(server.addr, tmp_path)


def test_symmetric_data_plane(aws: Cli) -> None:
    key = aws("create-key", "--description", "cli tour")["KeyMetadata"]
    arn = key["Arn"]
    assert key["KeyState"] == "Enabled" and arn.endswith(key["KeyId"])
    sealed = aws("encrypt", "--key-id", key["KeyId"], "--plaintext", aws.blob(b"\x00cli\xff"),
                 "--encryption-context", "app=cli")
    assert sealed["KeyId"] == arn
    blob = base64.b64decode(sealed["CiphertextBlob"])
    opened = aws("decrypt", "--ciphertext-blob", aws.blob(blob), "--encryption-context", "app=cli", "--key-id", arn)
    assert base64.b64decode(opened["Plaintext"]) == b"\x00cli\xff" and opened["KeyId"] == arn
    aws.fails("InvalidCiphertextException", "decrypt", "--ciphertext-blob", aws.blob(blob))
    other = aws("create-key")["KeyMetadata"]
    moved = aws("re-encrypt", "--ciphertext-blob", aws.blob(blob), "--source-encryption-context", "app=cli",
                "--destination-key-id", other["KeyId"])
    assert moved["SourceKeyId"] == arn and moved["KeyId"] == other["Arn"]
    assert base64.b64decode(aws("decrypt", "--ciphertext-blob",
                                aws.blob(base64.b64decode(moved["CiphertextBlob"])))["Plaintext"]) == b"\x00cli\xff"
    data_key = aws("generate-data-key", "--key-id", arn, "--key-spec", "AES_256")
    assert len(base64.b64decode(data_key["Plaintext"])) == 32
    wrapped = aws("generate-data-key-without-plaintext", "--key-id", arn, "--number-of-bytes", "24")
    assert "Plaintext" not in wrapped
    unwrapped = aws("decrypt", "--ciphertext-blob", aws.blob(base64.b64decode(wrapped["CiphertextBlob"])))
    assert len(base64.b64decode(unwrapped["Plaintext"])) == 24
    pair = aws("generate-data-key-pair", "--key-id", arn, "--key-pair-spec", "ECC_NIST_P256")
    assert pair["KeyPairSpec"] == "ECC_NIST_P256" and pair["PrivateKeyPlaintext"]
    bare = aws("generate-data-key-pair-without-plaintext", "--key-id", arn, "--key-pair-spec", "RSA_2048")
    assert "PrivateKeyPlaintext" not in bare and bare["PublicKey"]
    assert len(base64.b64decode(aws("generate-random", "--number-of-bytes", "17")["Plaintext"])) == 17


def test_signing_and_macs(aws: Cli) -> None:
    signer = aws("create-key", "--key-spec", "ECC_NIST_P384", "--key-usage", "SIGN_VERIFY")["KeyMetadata"]
    message = aws.blob(b"signed by the cli")
    signed = aws("sign", "--key-id", signer["KeyId"], "--message", message, "--signing-algorithm", "ECDSA_SHA_384")
    signature = aws.blob(base64.b64decode(signed["Signature"]))
    checked = aws("verify", "--key-id", signer["KeyId"], "--message", message, "--signature", signature,
                  "--signing-algorithm", "ECDSA_SHA_384")
    assert checked["SignatureValid"] is True and checked["KeyId"] == signer["Arn"]
    aws.fails("KMSInvalidSignatureException", "verify", "--key-id", signer["KeyId"], "--message",
              aws.blob(b"something else"), "--signature", signature, "--signing-algorithm", "ECDSA_SHA_384")
    public = aws("get-public-key", "--key-id", signer["KeyId"])
    assert public["KeySpec"] == "ECC_NIST_P384" and public["SigningAlgorithms"] == ["ECDSA_SHA_384"]
    mac_key = aws("create-key", "--key-spec", "HMAC_256", "--key-usage", "GENERATE_VERIFY_MAC")["KeyMetadata"]
    mac = aws("generate-mac", "--key-id", mac_key["KeyId"], "--message", message, "--mac-algorithm", "HMAC_SHA_256")
    assert aws("verify-mac", "--key-id", mac_key["KeyId"], "--message", message, "--mac-algorithm", "HMAC_SHA_256",
               "--mac", aws.blob(base64.b64decode(mac["Mac"])))["MacValid"] is True
    aws.fails("KMSInvalidMacException", "verify-mac", "--key-id", mac_key["KeyId"], "--message", message,
              "--mac-algorithm", "HMAC_SHA_256", "--mac", aws.blob(b"\x00" * 32))


def test_key_lifecycle_and_rotation(aws: Cli) -> None:
    key_id = aws("create-key")["KeyMetadata"]["KeyId"]
    listed = aws("list-keys", "--max-items", "100000")["Keys"]
    assert key_id in {entry["KeyId"] for entry in listed}
    aws("update-key-description", "--key-id", key_id, "--description", "renamed")
    assert aws("describe-key", "--key-id", key_id)["KeyMetadata"]["Description"] == "renamed"
    aws("disable-key", "--key-id", key_id)
    aws.fails("DisabledException", "encrypt", "--key-id", key_id, "--plaintext", aws.blob(b"x"))
    aws("enable-key", "--key-id", key_id)
    aws("enable-key-rotation", "--key-id", key_id, "--rotation-period-in-days", "90")
    status = aws("get-key-rotation-status", "--key-id", key_id)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 90
    aws("rotate-key-on-demand", "--key-id", key_id)
    rotations = aws("list-key-rotations", "--key-id", key_id)["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND"]
    aws("disable-key-rotation", "--key-id", key_id)
    assert aws("get-key-rotation-status", "--key-id", key_id)["KeyRotationEnabled"] is False
    aws.fails("ValidationException", "schedule-key-deletion", "--key-id", key_id, "--pending-window-in-days", "6")
    scheduled = aws("schedule-key-deletion", "--key-id", key_id)
    assert scheduled["KeyState"] == "PendingDeletion" and scheduled["PendingWindowInDays"] == 30
    aws.fails("KMSInvalidStateException", "encrypt", "--key-id", key_id, "--plaintext", aws.blob(b"x"))
    aws("cancel-key-deletion", "--key-id", key_id)
    assert aws("describe-key", "--key-id", key_id)["KeyMetadata"]["KeyState"] == "Disabled"


def test_aliases_tags_and_policies(aws: Cli) -> None:
    first = aws("create-key")["KeyMetadata"]
    second = aws("create-key")["KeyMetadata"]
    aws("create-alias", "--alias-name", "alias/cli-tour", "--target-key-id", first["KeyId"])
    aws.fails("AlreadyExistsException", "create-alias", "--alias-name", "alias/cli-tour", "--target-key-id",
              first["KeyId"])
    aws("update-alias", "--alias-name", "alias/cli-tour", "--target-key-id", second["KeyId"])
    aliases = aws("list-aliases", "--key-id", second["KeyId"])["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/cli-tour"] and aliases[0]["TargetKeyId"] == second["KeyId"]
    assert aws("describe-key", "--key-id", "alias/cli-tour")["KeyMetadata"]["KeyId"] == second["KeyId"]
    aws("delete-alias", "--alias-name", "alias/cli-tour")
    aws.fails("NotFoundException", "describe-key", "--key-id", "alias/cli-tour")
    aws("tag-resource", "--key-id", first["KeyId"], "--tags", "TagKey=team,TagValue=pay", "TagKey=env,TagValue=ci")
    aws("untag-resource", "--key-id", first["KeyId"], "--tag-keys", "env")
    assert aws("list-resource-tags", "--key-id", first["KeyId"])["Tags"] == [{"TagKey": "team", "TagValue": "pay"}]
    assert aws("list-key-policies", "--key-id", first["KeyId"])["PolicyNames"] == ["default"]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                                 "Action": "kms:*", "Resource": "*"}]})
    aws("put-key-policy", "--key-id", first["KeyId"], "--policy-name", "default", "--policy", policy)
    stored = aws("get-key-policy", "--key-id", first["KeyId"], "--policy-name", "default")["Policy"]
    assert json.loads(stored) == json.loads(policy)
