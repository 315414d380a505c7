"""Password hashing for one mount, with a dummy hash of the same cost for users that do not exist."""

from __future__ import annotations

from strongroom.crypto import passwords
from strongroom.crypto.passwords import DEFAULT_PARAMS, Argon2Params
from strongroom.crypto.random import base62


class Hasher:
    def __init__(self, params: Argon2Params = DEFAULT_PARAMS) -> None:
        self._params = params
        # Verifying an unknown user against a hash of the same cost makes it take as long as a wrong password.
        self._dummy = passwords.DUMMY_HASH if params == DEFAULT_PARAMS else passwords.hash_password(
            base62(24), params
        )

    def hash(self, password: str) -> str:
        return passwords.hash_password(password, self._params)

    def verify(self, password: str, encoded: str | None) -> bool:
        """False for a missing user, after the same work as a real check."""
        if encoded is None:
            passwords.verify_password(password, self._dummy)
            return False
        return passwords.verify_password(password, encoded)
