"""Private keys and signed tokens, checked for structure."""

from __future__ import annotations

from strongroom.scanner.checksums import verify_jwt, verify_pem_private_key
from strongroom.scanner.rule import Rule, token

F = "private-keys"
# Base64 body of a PEM block; lines may also be joined with literal \n (JSON, env files).
_BODY = r"[A-Za-z0-9+/=\s:,\-\\]{64,}?"


def _pem(rule_id: str, description: str, label: str) -> Rule:
    value = f"-----BEGIN {label}-----{_BODY}-----END {label}-----"
    rule = token(rule_id, description, F, value, keywords=(f"begin {label.lower()}",),
                 validator=verify_pem_private_key, end="")
    return rule


RULES: tuple[Rule, ...] = (
    _pem("private-key-rsa", "RSA private key (PKCS#1)", "RSA PRIVATE KEY"),
    _pem("private-key-ec", "EC private key (SEC 1)", "EC PRIVATE KEY"),
    _pem("private-key-dsa", "DSA private key", "DSA PRIVATE KEY"),
    _pem("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY"),
    _pem("private-key-pkcs8", "PKCS#8 private key", "PRIVATE KEY"),
    _pem("private-key-encrypted-pkcs8", "Encrypted PKCS#8 private key", "ENCRYPTED PRIVATE KEY"),
    _pem("private-key-pgp", "PGP private key block", "PGP PRIVATE KEY BLOCK"),
    token("putty-private-key", "PuTTY private key", F,
          r"PuTTY-User-Key-File-[23]: [a-z0-9\-]+\r?\nEncryption: none\r?\nComment: [^\r\n]*\r?\n"
          r"Public-Lines: \d+\r?\n(?:[A-Za-z0-9+/=]+\r?\n){1,40}Private-Lines: \d+\r?\n[A-Za-z0-9+/=]{40,}",
          keywords=("putty-user-key-file",), end=""),
    token("jwt", "JSON Web Token", "tokens",
          r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{20,}", validator=verify_jwt),
)
