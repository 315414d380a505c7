"""github: log in with a GitHub personal access token; organisation membership and team-to-policy mapping."""

from strongroom.auth.github.backend import build, factory

__all__ = ["build", "factory"]
