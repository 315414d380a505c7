"""Lockout settings: Vault's defaults, the server file's `user_lockout "<type>"` blocks and a mount's tuning.

Precedence (most specific first): the mount's `user_lockout_config` (sys/auth/<path>/tune), the server's block
for the method type (`user_lockout "userpass"`), the server's `user_lockout "all"`, then Vault's defaults
(5 failures, 15 minutes locked, counter reset after 15 minutes)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest

# Auth methods with a notion of a user whose failures are counted (Vault: userpass, approle, ldap).
SUPPORTED_TYPES = ("userpass", "approle")
# Keys accepted in the server file and in a mount's tuning; `lockout_disable` is the tune spelling.
_KEYS = ("lockout_threshold", "lockout_duration", "lockout_counter_reset", "disable_lockout", "lockout_disable")


@dataclass(frozen=True)
class LockoutSettings:
    """`threshold` failures within `counter_reset` seconds of each other lock the alias for `duration`."""

    threshold: int = 5
    duration: int = 15 * 60
    counter_reset: int = 15 * 60
    disabled: bool = False

    def to_api(self) -> dict[str, Any]:
        return {"lockout_threshold": str(self.threshold), "lockout_duration": self.duration,
                "lockout_counter_reset": self.counter_reset, "lockout_disable": self.disabled}


DEFAULT_SETTINGS = LockoutSettings()


def normalise_alias(alias: str) -> str:
    """The lockout identity of a login name: Unicode compatibility forms folded (NFKC), case folded, and
    surrounding whitespace dropped, so `Alice`, ` alice`, `alice\\t` and its fullwidth spelling share one counter."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", alias).casefold())
    return folded.strip()


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise InvalidRequest(f"{name} must be a boolean")


def _positive(value: Any, name: str) -> int:
    seconds = parse_duration(value, name)
    if seconds <= 0:
        raise InvalidRequest(f"{name} must be positive")
    return seconds


def parse_settings(raw: Mapping[str, Any], base: LockoutSettings = DEFAULT_SETTINGS) -> LockoutSettings:
    """`base` with the keys present in `raw` applied; unknown keys and bad values are refused."""
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise InvalidRequest(f"unknown user lockout settings: {', '.join(unknown)}")
    settings = base
    if raw.get("lockout_threshold") not in (None, ""):
        try:
            threshold = int(str(raw["lockout_threshold"]))
        except ValueError:
            raise InvalidRequest("lockout_threshold must be an integer") from None
        if threshold < 1:
            raise InvalidRequest("lockout_threshold must be at least 1")
        settings = replace(settings, threshold=threshold)
    if raw.get("lockout_duration") not in (None, ""):
        settings = replace(settings, duration=_positive(raw["lockout_duration"], "lockout_duration"))
    if raw.get("lockout_counter_reset") not in (None, ""):
        settings = replace(settings, counter_reset=_positive(raw["lockout_counter_reset"], "lockout_counter_reset"))
    for key in ("disable_lockout", "lockout_disable"):
        if raw.get(key) not in (None, ""):
            settings = replace(settings, disabled=_bool(raw[key], key))
    return settings


def resolve(server: Mapping[str, Mapping[str, Any]], mount_type: str, tuned: Mapping[str, Any]) -> LockoutSettings:
    """The settings for one mount: tuning over the type's block over "all" over the defaults."""
    settings = parse_settings(server.get("all", {}))
    settings = parse_settings(server.get(mount_type, {}), settings)
    return parse_settings(tuned, settings) if tuned else settings
