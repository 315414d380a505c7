"""userpass: log in with a username and a password (stored only as an Argon2id hash)."""

from strongroom.auth.userpass.backend import build, factory

__all__ = ["build", "factory"]
