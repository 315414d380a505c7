"""Randomness from the operating system's CSPRNG, in the shapes the server hands out."""

from __future__ import annotations

import os
import secrets
import uuid

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def random_bytes(count: int) -> bytes:
    return os.urandom(count)


def base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


def new_uuid() -> str:
    return str(uuid.UUID(bytes=os.urandom(16), version=4))
