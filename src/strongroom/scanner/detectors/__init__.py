"""The built-in rule catalogue, one line per family module.

`DETECTORS` lists every rule in priority order; rule ids are unique and stable (fingerprints include them).
"""

from __future__ import annotations

from strongroom.scanner.detectors import (
    ai,
    ci,
    cloud,
    databases,
    generic,
    keys,
    messaging,
    payment,
    registries,
    saas,
    source,
    vaults,
)
from strongroom.scanner.rule import Rule

DETECTORS: tuple[Rule, ...] = (
    *vaults.RULES,
    *source.RULES,
    *cloud.RULES,
    *ci.RULES,
    *payment.RULES,
    *messaging.RULES,
    *databases.RULES,
    *keys.RULES,
    *registries.RULES,
    *ai.RULES,
    *saas.RULES,
    *generic.RULES,
)

__all__ = ["DETECTORS"]
