"""Audit: file devices writing HMAC-redacted, hash-chained JSON lines, and the chain verifier.

`AuditBroker` is what the core calls (see `broker`); `verify_file` is what `strongroom audit verify` calls.
"""

from strongroom.core.audit.broker import AuditBroker
from strongroom.core.audit.errors import AuditError
from strongroom.core.audit.redact import NON_HMAC
from strongroom.core.audit.verify import VerifyResult, verify_file

__all__ = ["NON_HMAC", "AuditBroker", "AuditError", "VerifyResult", "verify_file"]
