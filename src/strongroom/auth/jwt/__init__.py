"""jwt / oidc: log in with a signed JWT, or through an OpenID provider's authorization-code flow."""

from strongroom.auth.jwt.backend import build, factory

__all__ = ["build", "factory"]
