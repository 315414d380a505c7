#!/usr/bin/env python3
"""Sets one server up for the login benchmark through the v1 API only, so it runs unchanged against Strongroom
and OpenBao, and writes the request bodies wrk sends into WORKDIR:

    VAULT_ADDR=... VAULT_TOKEN=... python bench/auth/setup.py WORKDIR KEYFILE

  userpass/  user bench-user (the server's own password hashing: Strongroom Argon2id, OpenBao bcrypt)
  approle/   role bench, secret IDs of unlimited use           -> approle_login.json
  jwt/       jwt_validation_pubkeys = the public half of KEYFILE (an RSA key generated locally on first use),
             bound_issuer, role bench (bound_audiences, user_claim sub)  -> jwt_login.json (one RS256 token
             valid for 12 hours; neither server refuses a replayed JWT, so wrk may send the same bytes)
Every role issues service tokens carrying the policy "default" with a 1 h TTL. Needs `cryptography`.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ADDR = os.environ["VAULT_ADDR"].rstrip("/")
TOKEN = os.environ["VAULT_TOKEN"]
PASSWORD = "bench-password-0123456789abcdef"
ISSUER = "https://issuer.bench.invalid"
AUDIENCE = "login-bench"


def call(method: str, path: str, body: object = None) -> dict[str, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{ADDR}/v1/{path}", data=data, method=method,  # noqa: S310 (VAULT_ADDR)
                                     headers={"X-Vault-Token": TOKEN, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as err:
        raise SystemExit(f"{method} {path} -> HTTP {err.code}: {err.read()[:300]!r}") from None
    return json.loads(raw) if raw.strip() else {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def load_key(path: str) -> rsa.RSAPrivateKey:
    if not os.path.exists(path):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    with open(path, "rb") as fh:
        loaded = serialization.load_pem_private_key(fh.read(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey)
    return loaded


def rs256(key: rsa.RSAPrivateKey, claims: dict[str, object]) -> str:
    head = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64url(signature)}"


def enable(mount: str, kind: str) -> None:
    mounts = call("GET", "sys/auth")
    table = mounts.get("data", mounts)
    assert isinstance(table, dict)
    if f"{mount}/" not in table:
        call("POST", f"sys/auth/{mount}", {"type": kind})


def main() -> None:
    workdir, keyfile = sys.argv[1], sys.argv[2]
    os.makedirs(workdir, exist_ok=True)
    token_settings = {"token_policies": ["default"], "token_ttl": "1h", "token_max_ttl": "1h"}
    enable("userpass", "userpass")
    call("POST", "auth/userpass/users/bench-user", {"password": PASSWORD, **token_settings})

    enable("approle", "approle")
    call("POST", "auth/approle/role/bench", {"secret_id_num_uses": 0, "secret_id_ttl": 0, **token_settings})
    role_id = call("GET", "auth/approle/role/bench/role-id")["data"]["role_id"]  # type: ignore[index]
    secret_id = call("POST", "auth/approle/role/bench/secret-id", {})["data"]["secret_id"]  # type: ignore[index]

    key = load_key(keyfile)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    enable("jwt", "jwt")
    call("POST", "auth/jwt/config", {"jwt_validation_pubkeys": [public], "bound_issuer": ISSUER})
    call("POST", "auth/jwt/role/bench", {"role_type": "jwt", "bound_audiences": [AUDIENCE], "user_claim": "sub",
                                         **token_settings})
    now = int(time.time())
    jwt = rs256(key, {"iss": ISSUER, "sub": "bench-workload", "aud": AUDIENCE, "iat": now, "nbf": now - 5,
                      "exp": now + 12 * 3600})

    bodies = {
        "userpass_login.json": {"password": PASSWORD},
        "approle_login.json": {"role_id": role_id, "secret_id": secret_id},
        "jwt_login.json": {"role": "bench", "jwt": jwt},
    }
    for name, body in bodies.items():
        fd = os.open(os.path.join(workdir, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(body, fh, separators=(",", ":"))
    # One login of each kind before timing: a refusal here is a setup error, not a slow server.
    for name, path in (("userpass_login.json", "auth/userpass/login/bench-user"),
                       ("approle_login.json", "auth/approle/login"), ("jwt_login.json", "auth/jwt/login")):
        auth = call("POST", path, bodies[name]).get("auth")
        assert isinstance(auth, dict) and auth.get("client_token"), f"{path}: no token"
    version = call("GET", "sys/seal-status").get("version", "?")
    print(f"setup ok: {ADDR} version={version}")


if __name__ == "__main__":
    main()
