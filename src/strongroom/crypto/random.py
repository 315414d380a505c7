"""Randomness from the operating system's CSPRNG, in the shapes the server hands out."""

from __future__ import annotations

import os
import secrets

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def random_bytes(count: int) -> bytes:
    return os.urandom(count)


def base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


def new_uuid() -> str:
    """A random (version 4) UUID string."""
    h = bytearray(os.urandom(16))
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"
