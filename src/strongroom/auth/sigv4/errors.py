"""SigV4 failures. Each is a PermissionDenied (403 on the Vault API) that also carries the AWS error code the
KMS face answers with, so no adapter has to read a message to know what went wrong.

    PermissionDenied
    └── SigV4Error                         AccessDeniedException
        ├── MissingAuthenticationToken     no Authorization header at all
        ├── IncompleteSignature            an Authorization header that cannot be parsed or lacks a part
        ├── InvalidSignature               wrong signature, wrong scope, stale or future date, tampered body
        └── UnrecognizedClient             the access key id is unknown
"""

from __future__ import annotations

from strongroom.sdk.errors import PermissionDenied


class SigV4Error(PermissionDenied):
    code = "AccessDeniedException"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class MissingAuthenticationToken(SigV4Error):
    code = "MissingAuthenticationTokenException"

    def __init__(self, message: str = "Missing Authentication Token") -> None:
        super().__init__(message)


class IncompleteSignature(SigV4Error):
    code = "IncompleteSignatureException"


class InvalidSignature(SigV4Error):
    code = "InvalidSignatureException"

    def __init__(self, message: str = (
            "The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")) -> None:
        super().__init__(message)


class UnrecognizedClient(SigV4Error):
    code = "UnrecognizedClientException"

    def __init__(self, message: str = "The security token included in the request is invalid.") -> None:
        super().__init__(message)
