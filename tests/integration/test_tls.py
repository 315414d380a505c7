"""TLS from the configuration file: 1.2+ by default, 1.3 only when asked, and plain HTTP refused."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from serverproc import free_port, start


def _certificate(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "tls.crt", tmp / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _context(cert: Path, maximum: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cert))
    if maximum is not None:
        context.maximum_version = maximum
    return context


@pytest.mark.parametrize("minimum", ["tls12", "tls13"])
def test_tls_listener(tmp_path: Path, minimum: str) -> None:
    cert, key = _certificate(tmp_path)
    port = free_port()
    config = tmp_path / "server.hcl"
    config.write_text(
        f'storage "inmem" {{}}\nlistener "tcp" {{\n  address = "127.0.0.1:{port}"\n'
        f'  tls_cert_file = "{cert}"\n  tls_key_file = "{key}"\n  tls_min_version = "{minimum}"\n}}\n'
    )
    proc = start(tmp_path, "--config", str(config), dev=False, port=port, scheme="https")
    try:
        status = httpx.get(proc.url("sys/seal-status"), verify=_context(cert), timeout=10)
        assert status.status_code == 200 and status.json()["initialized"] is False
        tls12 = _context(cert, ssl.TLSVersion.TLSv1_2)
        if minimum == "tls12":
            assert httpx.get(proc.url("sys/health"), verify=tls12, timeout=10).status_code == 501
        else:
            with pytest.raises(httpx.ConnectError):
                httpx.get(proc.url("sys/health"), verify=tls12, timeout=10)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/v1/sys/health", timeout=10)
    finally:
        proc.stop()
