"""Scanner errors. Everything the CLI turns into exit code 2 derives from `ScanError`::

    ScanError
    ├── RuleError          a rule regex does not compile (engine)
    ├── ConfigError        unreadable or invalid TOML config (config)
    ├── SourceError        repository, revision or path cannot be read (sources)
    ├── BaselineError      unreadable baseline file (baseline)
    ├── ManagedCheckError  the managed-secret check failed (managed)
    └── WebhookError       the alert webhook refused or was unreachable (alerts)
"""

from __future__ import annotations


class ScanError(Exception):
    """Base of every scanner error."""


class RuleError(ScanError, ValueError):
    pass


class ConfigError(ScanError, ValueError):
    pass


class SourceError(ScanError, RuntimeError):
    pass


class BaselineError(ScanError, ValueError):
    pass


class ManagedCheckError(ScanError, RuntimeError):
    pass


class WebhookError(ScanError, RuntimeError):
    pass
