"""A real OpenID provider (the npm package oidc-provider, pinned in provider/package.json) on loopback HTTPS.

The test makes a CA and a certificate for 127.0.0.1, and the provider's private signing keys (so tests can
also sign tokens that the provider's published JWKS verifies: audiences as lists, expired tokens, ...).
`npm ci` runs once if provider/node_modules is missing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from strongroom.auth.jwt import factory
from strongroom.crypto.jose import SigningKey
from strongroom.sdk.framework.testing import EngineHarness

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "strongroom-cli"
CLIENT_SECRET = "client-secret-for-tests-only"
REDIRECT_URI = "http://127.0.0.1:8250/oidc/callback"


def _ensure_node_modules() -> None:
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the OpenID provider tests")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=PROVIDER_DIR, check=True, timeout=300)


@dataclass
class Tls:
    ca_pem: str
    cert_file: Path
    key_file: Path


def _make_tls(folder: Path) -> Tls:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "strongroom test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return Tls(ca.public_bytes(serialization.Encoding.PEM).decode(), cert_file, key_file)


@dataclass
class OpenIdProvider:
    """One running provider process; `restart(keys)` brings it back on the same port with another key set."""

    folder: Path
    tls: Tls
    keys: list[SigningKey]
    issuer: str = ""
    process: subprocess.Popen[str] | None = None
    port: int = 0
    log: list[str] = field(default_factory=list)
    redirect_uri: str = REDIRECT_URI  # the one redirect URI the provider's client may use

    def start(self) -> None:
        jwks_file = self.folder / "jwks.json"
        jwks_file.write_text(json.dumps({"keys": [k.private_jwk() for k in self.keys]}))
        env = {
            **os.environ, "PROVIDER_PORT": str(self.port), "PROVIDER_TLS_CERT": str(self.tls.cert_file),
            "PROVIDER_TLS_KEY": str(self.tls.key_file), "PROVIDER_JWKS": str(jwks_file),
            "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET, "REDIRECT_URI": self.redirect_uri,
        }
        self.process = subprocess.Popen(
            ["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the OpenID provider did not start")
        self.issuer = json.loads(line)["issuer"]
        self.port = int(urlsplit(self.issuer).port or 0)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def restart(self, keys: list[SigningKey]) -> None:
        self.stop()
        self.keys = keys
        for _ in range(50):  # the port is ours again once the old process has let go of it
            try:
                self.start()
                return
            except RuntimeError:
                time.sleep(0.1)
        raise RuntimeError("the OpenID provider did not restart")

    def client(self) -> httpx.Client:
        import ssl

        return httpx.Client(verify=ssl.create_default_context(cadata=self.tls.ca_pem), follow_redirects=False,
                            timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenIdProvider]:
    _ensure_node_modules()
    folder = tmp_path_factory.mktemp("oidc-provider")
    proc = OpenIdProvider(folder, _make_tls(folder), [SigningKey.generate("RS256", "provider-rsa-1")])
    proc.start()
    yield proc
    proc.stop()


def mount(provider: OpenIdProvider) -> EngineHarness:
    """A jwt mount built by the production factory: https only, loopback allowed by the mount option."""
    harness = EngineHarness(factory, mount_path="auth/oidc/", options={"allow_loopback": "true"})
    harness.clock.advance(time.time() - harness.clock.now())  # the provider's tokens carry real times
    harness.write("config", oidc_discovery_url=provider.issuer, oidc_discovery_ca_pem=provider.tls.ca_pem,
                  oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET)
    return harness


def drive_login(provider: OpenIdProvider, auth_url: str, user: str) -> dict[str, str]:
    """Play the person at the browser: follow the provider's redirects, sign in and consent on its
    development interaction pages, and stop at the redirect URI. Returns its query parameters."""
    url = auth_url
    with provider.client() as browser:
        for _ in range(20):
            if url.startswith(REDIRECT_URI):
                return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
            reply = browser.get(url)
            if reply.status_code in (302, 303):
                url = urljoin(url, reply.headers["location"])
                continue
            assert reply.status_code == 200, reply.text[:500]
            prompt = re.search(r'name="prompt" value="(\w+)"', reply.text)
            assert prompt is not None, reply.text[:500]
            form = {"prompt": prompt.group(1)}
            if form["prompt"] == "login":
                form.update(login=user, password="any")
            reply = browser.post(url, data=form)
            assert reply.status_code in (302, 303), reply.text[:500]
            url = urljoin(url, reply.headers["location"])
    raise AssertionError("the login did not come back to the redirect URI")
