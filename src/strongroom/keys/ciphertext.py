"""The `vault:v<N>:<base64>` envelope around ciphertexts, signatures and HMACs."""

from __future__ import annotations

import base64
import binascii

PREFIX = "vault:v"


def encode(number: int, blob: bytes) -> str:
    return f"{PREFIX}{number}:{binascii.b2a_base64(blob, newline=False).decode()}"


def split(text: str) -> tuple[int, str]:
    """(version, payload text); ValueError when the envelope is malformed."""
    if not text.startswith(PREFIX):
        raise ValueError("no prefix")
    sep = text.find(":", len(PREFIX))
    digits = text[len(PREFIX) : sep]
    if sep < 0 or not digits.isdigit() or not digits.isascii():
        raise ValueError("bad version")
    return int(digits), text[sep + 1 :]


def decode(text: str) -> tuple[int, bytes]:
    """(version, bytes) from standard, padded base64; ValueError (incl. binascii.Error) when malformed."""
    number, payload = split(text)
    return number, binascii.a2b_base64(payload, strict_mode=True)


def encode_url(number: int, blob: bytes) -> str:
    """JWS marshaling: base64url without padding."""
    return f"{PREFIX}{number}:{base64.urlsafe_b64encode(blob).decode().rstrip('=')}"


def decode_url(text: str) -> tuple[int, bytes]:
    number, payload = split(text)
    if not all(c.isalnum() or c in "-_" for c in payload):
        raise ValueError("bad base64url")
    return number, base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
