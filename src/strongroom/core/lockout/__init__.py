"""User lockout (Vault's `user_lockout`): failed logins counted per auth mount and normalised alias, shared by
every server process through the barrier storage."""

from strongroom.core.lockout.guard import LockoutService, MountGuard
from strongroom.core.lockout.settings import DEFAULT_SETTINGS, LockoutSettings, normalise_alias, parse_settings

__all__ = ["DEFAULT_SETTINGS", "LockoutService", "LockoutSettings", "MountGuard", "normalise_alias",
           "parse_settings"]
