"""Checksum and structure checks for secret formats that carry one.

GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` with a 36-character body) and npm tokens end in the
base62 CRC32 of their random part; Strongroom tokens end in the base62 CRC32 of everything before it.
JWTs must carry a JSON header naming an algorithm; PEM private keys must carry a decodable body.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE62_INDEX = {c: i for i, c in enumerate(BASE62)}


def base62_encode(number: int, width: int = 6) -> str:
    """Encode a non-negative integer in base62 (alphabet 0-9A-Za-z), zero-padded to `width`."""
    if number < 0:
        raise ValueError("negative number")
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(BASE62[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def base62_decode(text: str) -> int:
    value = 0
    for char in text:
        value = value * 62 + _BASE62_INDEX[char]
    return value


def crc32_base62(text: str) -> str:
    return base62_encode(zlib.crc32(text.encode("ascii")) & 0xFFFFFFFF)


# --- Strongroom tokens: sr.<type>.<32 base62 random><6 base62 CRC32 of "sr.<type>.<random>"> ---

STRONGROOM_TOKEN_RE = re.compile(r"sr\.[a-z]\.[0-9A-Za-z]{38}")


def strongroom_token(token_type: str, body: str) -> str:
    """Build a Strongroom token from its type letter and 32-character base62 random body."""
    if len(token_type) != 1 or not token_type.islower() or not token_type.isascii():
        raise ValueError("token type must be one lowercase ASCII letter")
    if len(body) != 32 or any(c not in _BASE62_INDEX for c in body):
        raise ValueError("token body must be 32 base62 characters")
    head = f"sr.{token_type}.{body}"
    return head + crc32_base62(head)


def verify_strongroom_token(token: str) -> bool:
    if STRONGROOM_TOKEN_RE.fullmatch(token) is None:
        return False
    return crc32_base62(token[:-6]) == token[-6:]


# --- GitHub (and npm) tokens: prefix + 30 base62 random + 6 base62 CRC32 of the random part ---


def github_token(prefix: str, body: str) -> str:
    """Build a checksum-valid GitHub-style token (`ghp_`, `npm_`...) from a 30-character body."""
    return prefix + body + crc32_base62(body)


def verify_github_token(token: str) -> bool:
    """True if a 40-character `gh?_`/`npm_` token's last 6 characters are the CRC32 of its body."""
    if len(token) != 40 or token[3] != "_":
        return False
    body, check = token[4:-6], token[-6:]
    if any(c not in _BASE62_INDEX for c in body + check):
        return False
    return crc32_base62(body) == check


def verify_basic_auth(value: str) -> bool:
    """Base64 of `user:password` (Docker config `auth`, HTTP Basic)."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    user, sep, password = raw.partition(b":")
    return bool(sep and user and password) and raw.isascii()


def mixed_alphanumeric(value: str) -> bool:
    """Random keys over a case-sensitive alphabet almost surely mix digits, upper and lower case."""
    return any(c.isdigit() for c in value) and any(c.isupper() for c in value) and any(c.islower() for c in value)


# --- JWT structure ---


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_jwt(token: str) -> bool:
    """A JWS in compact form: a JSON header naming `alg` and a JSON object payload."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


# --- PEM private keys ---

_PEM_RE = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----\s*(.*?)\s*-----END \1-----", re.DOTALL
)
_HEADER_LINE_RE = re.compile(r"^[A-Za-z-]+:.*$", re.MULTILINE)


def verify_pem_private_key(block: str) -> bool:
    """The body between BEGIN and END decodes as base64 to a plausible key (DER, OpenSSH or PGP)."""
    match = _PEM_RE.search(block.replace("\\n", "\n").replace("\\r", ""))
    if match is None:
        return False
    label, body = match.group(1), match.group(2)
    encrypted = "ENCRYPTED" in body.split("\n\n", 1)[0] if ":" in body[:40] else False
    body = _HEADER_LINE_RE.sub("", body)  # Proc-Type/DEK-Info/Version headers
    if label == "PGP PRIVATE KEY BLOCK":
        body = re.sub(r"^=[A-Za-z0-9+/]{4}\s*$", "", body, flags=re.MULTILINE)  # armour checksum
    compact = "".join(body.split())
    if len(compact) < 64:
        return False
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    if label == "OPENSSH PRIVATE KEY":
        return raw.startswith(b"openssh-key-v1\x00")
    if label == "PGP PRIVATE KEY BLOCK":
        return bool(raw) and raw[0] & 0x80 == 0x80
    return encrypted or raw[0] == 0x30  # ASN.1 SEQUENCE
