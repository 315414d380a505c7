"""The audit failure: raised when enabled devices exist and none of them recorded an entry.

It is a `Fault` (500): the core returns no data for a request it could not audit.
"""

from __future__ import annotations

from strongroom.sdk.errors import Fault


class AuditError(Fault):
    pass
