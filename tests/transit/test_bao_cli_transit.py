"""The real `bao` CLI against transit on a live server, including `bao transit import` (BYOK)."""

from __future__ import annotations

import base64
import os

from transit_support import Cli, b64


def test_write_encrypt_and_decrypt(cli: Cli, mount: str) -> None:
    assert cli.run("bao", "write", "-f", f"{mount}/keys/app").returncode == 0
    encrypted = cli.bao_json("write", f"{mount}/encrypt/app", f"plaintext={b64('hello')}")["data"]
    assert encrypted["ciphertext"].startswith("vault:v1:") and encrypted["key_version"] == 1
    decrypted = cli.bao_json("write", f"{mount}/decrypt/app", f"ciphertext={encrypted['ciphertext']}")["data"]
    assert decrypted["plaintext"] == b64("hello")
    field = cli.run("bao", "write", "-field=plaintext", f"{mount}/decrypt/app",
                    f"ciphertext={encrypted['ciphertext']}")
    assert field.stdout.strip() == b64("hello")


def test_rotate_read_and_generic_decrypt_error(cli: Cli, mount: str) -> None:
    cli.run("bao", "write", "-f", f"{mount}/keys/app", "type=chacha20-poly1305")
    assert cli.run("bao", "write", "-f", f"{mount}/keys/app/rotate").returncode == 0
    key = cli.bao_json("read", f"{mount}/keys/app")["data"]
    assert key["latest_version"] == 2 and key["type"] == "chacha20-poly1305"
    bad = cli.run("bao", "write", f"{mount}/decrypt/app", "ciphertext=vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert bad.returncode == 2 and "cipher: message authentication failed" in bad.stderr
    listed = cli.bao_json("list", f"{mount}/keys")
    assert listed == ["app"]


def test_sign_and_verify(cli: Cli, mount: str) -> None:
    cli.run("bao", "write", "-f", f"{mount}/keys/signer", "type=ed25519")
    signature = cli.bao_json("write", f"{mount}/sign/signer", f"input={b64('doc')}")["data"]["signature"]
    verified = cli.bao_json("write", f"{mount}/verify/signer", f"input={b64('doc')}", f"signature={signature}")
    assert verified["data"]["valid"] is True


def test_transit_import_wraps_and_imports(cli: Cli, mount: str) -> None:
    material = os.urandom(32)
    result = cli.run("bao", "transit", "import", f"{mount}/keys/byok", base64.b64encode(material).decode(),
                     "type=aes256-gcm96", "exportable=true")
    assert result.returncode == 0, result.stderr
    exported = cli.bao_json("read", f"{mount}/export/encryption-key/byok/1")["data"]["keys"]["1"]
    assert base64.b64decode(exported) == material
    again = cli.run("bao", "transit", "import-version", f"{mount}/keys/byok", base64.b64encode(os.urandom(32)).decode())
    assert again.returncode == 0, again.stderr
    assert cli.bao_json("read", f"{mount}/keys/byok")["data"]["latest_version"] == 2
