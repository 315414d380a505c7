"""Password hashing with Argon2id (RFC 9106), stored in the PHC string format."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from strongroom.crypto.hashing import equal


@dataclass(frozen=True)
class Argon2Params:
    """Cost parameters; the defaults follow RFC 9106's second recommended option, scaled for a server."""

    memory_kib: int = 19 * 1024
    iterations: int = 2
    lanes: int = 1
    length: int = 32


DEFAULT_PARAMS = Argon2Params()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _derive(password: bytes, salt: bytes, params: Argon2Params) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=params.length,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(password)


def hash_password(password: str, params: Argon2Params = DEFAULT_PARAMS) -> str:
    salt = os.urandom(16)
    key = _derive(password.encode(), salt, params)
    return (
        f"$argon2id$v=19$m={params.memory_kib},t={params.iterations},p={params.lanes}"
        f"${_b64(salt)}${_b64(key)}"
    )


def verify_password(password: str, encoded: str) -> bool:
    """True when the password matches; malformed hashes simply do not match."""
    try:
        _, algorithm, _version, costs, salt_text, key_text = encoded.split("$")
        settings = dict(item.split("=") for item in costs.split(","))
        params = Argon2Params(
            memory_kib=int(settings["m"]), iterations=int(settings["t"]), lanes=int(settings["p"]),
            length=len(_unb64(key_text)),
        )
        if algorithm != "argon2id":
            return False
        candidate = _derive(password.encode(), _unb64(salt_text), params)
    except (ValueError, KeyError, InvalidKey):
        return False
    return equal(candidate, _unb64(key_text))


# A fixed hash to verify against when a user does not exist, so an unknown user costs the same time as a
# wrong password (no enumeration by timing).
DUMMY_HASH = hash_password("strongroom-dummy-password")
