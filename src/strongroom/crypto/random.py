"""Randomness from the operating system's CSPRNG, in the shapes the server hands out."""

from __future__ import annotations

import os

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Rejection sampling in C: a random byte below 248 (4 x 62) maps to BASE62[byte % 62], uniformly; the 8 bytes
# above are dropped. One `secrets.choice` per character cost a system call each on every login's accessor.
_TO_BASE62 = bytes(BASE62.encode()[byte % 62] if byte < 248 else 0 for byte in range(256))
_REJECTED = bytes(range(248, 256))


def random_bytes(count: int) -> bytes:
    return os.urandom(count)


def base62(length: int) -> str:
    text = b""
    while len(text) < length:
        text += os.urandom(length + 8).translate(_TO_BASE62, _REJECTED)
    return text[:length].decode()


def new_uuid() -> str:
    """A random (version 4) UUID string."""
    h = bytearray(os.urandom(16))
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"
