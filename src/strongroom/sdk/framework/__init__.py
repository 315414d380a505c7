"""Vault's sdk/framework, Pythonic: an engine is a list of Paths with typed arguments."""

from strongroom.sdk.framework.backend import (
    Backend,
    EngineEnv,
    LoginGuard,
    ManagedValue,
    NoLockout,
    SystemView,
)
from strongroom.sdk.framework.fields import Duration, arg
from strongroom.sdk.framework.path import Path
from strongroom.sdk.framework.secret import SecretType

__all__ = [
    "Backend", "Duration", "EngineEnv", "LoginGuard", "ManagedValue", "NoLockout", "Path", "SecretType",
    "SystemView", "arg",
]
