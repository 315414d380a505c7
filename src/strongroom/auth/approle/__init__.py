"""approle: machines log in with a role_id and a secret_id (stored only as keyed hashes)."""

from strongroom.auth.approle.backend import build, factory

__all__ = ["build", "factory"]
