"""sigv4: AWS Signature Version 4 authentication with access keys that Strongroom issues and binds to policies."""

from strongroom.auth.sigv4.backend import build, factory

__all__ = ["build", "factory"]
