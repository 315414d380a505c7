"""The AWS error types the KMS face answers with, and how Strongroom's own errors map onto them.

    KmsError                                  (code, HTTP status)
    ├── client faults, 400: NotFoundException, DisabledException, KMSInvalidStateException,
    │   InvalidKeyUsageException, InvalidCiphertextException, IncorrectKeyException, ValidationException,
    │   SerializationException, AccessDeniedException, UnsupportedOperationException, AlreadyExistsException,
    │   InvalidAliasNameException, MalformedPolicyDocumentException, TagException, LimitExceededException,
    │   InvalidMarkerException, InvalidArnException, KMSInvalidSignatureException, KMSInvalidMacException,
    │   UnknownOperationException, ThrottlingException, and the SigV4 codes (MissingAuthenticationToken...)
    ├── DryRunOperationException, 412: the request would have succeeded
    └── server faults: KMSInternalException 500, KeyUnavailableException 500 (sealed)

The wire form is `{"__type": code, "message": text}`; botocore reads both. Messages never contain key material,
plaintext or the caller's values beyond identifiers.
"""

from __future__ import annotations

from typing import ClassVar

from strongroom.auth.sigv4.errors import SigV4Error
from strongroom.sdk.errors import (
    Fault,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    RequestTooLarge,
    Sealed,
    StrongroomError,
    UnsupportedPath,
)


class KmsError(Exception):
    code: ClassVar[str] = "KMSInternalException"
    status: ClassVar[int] = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(KmsError):
    code = "NotFoundException"


class DisabledError(KmsError):
    code = "DisabledException"


class InvalidStateError(KmsError):
    code = "KMSInvalidStateException"


class InvalidKeyUsageError(KmsError):
    code = "InvalidKeyUsageException"


class InvalidCiphertextError(KmsError):
    code = "InvalidCiphertextException"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class IncorrectKeyError(KmsError):
    code = "IncorrectKeyException"

    def __init__(self, message: str = "The key ID in the request does not identify a KMS key that can perform "
                                      "this operation.") -> None:
        super().__init__(message)


class ValidationError(KmsError):
    code = "ValidationException"


class SerializationError(KmsError):
    code = "SerializationException"


class AccessDeniedError(KmsError):
    code = "AccessDeniedException"


class UnsupportedOperationError(KmsError):
    code = "UnsupportedOperationException"


class AlreadyExistsError(KmsError):
    code = "AlreadyExistsException"


class InvalidAliasNameError(KmsError):
    code = "InvalidAliasNameException"


class MalformedPolicyDocumentError(KmsError):
    code = "MalformedPolicyDocumentException"


class TagError(KmsError):
    code = "TagException"


class LimitExceededError(KmsError):
    code = "LimitExceededException"


class InvalidMarkerError(KmsError):
    code = "InvalidMarkerException"

    def __init__(self, message: str = "Marker is invalid") -> None:
        super().__init__(message)


class InvalidArnError(KmsError):
    code = "InvalidArnException"


class InvalidSignatureError(KmsError):
    code = "KMSInvalidSignatureException"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class InvalidMacError(KmsError):
    code = "KMSInvalidMacException"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)


class UnknownOperationError(KmsError):
    code = "UnknownOperationException"


class ThrottlingError(KmsError):
    code = "ThrottlingException"


class DryRunError(KmsError):
    code = "DryRunOperationException"
    status = 412

    def __init__(self, message: str = "The request would have succeeded, but the DryRun option is set.") -> None:
        super().__init__(message)


class AuthError(KmsError):
    """A SigV4 failure; `code` is set per instance from the auth method's error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # type: ignore[misc]


class InternalError(KmsError):
    code = "KMSInternalException"
    status = 500

    def __init__(self, message: str = "An internal error occurred.") -> None:
        super().__init__(message)


class KeyUnavailableError(KmsError):
    code = "KeyUnavailableException"
    status = 500


def from_strongroom(exc: StrongroomError) -> KmsError:
    """The one table from Strongroom's error tree (most specific class first) to AWS types."""
    if isinstance(exc, SigV4Error):
        return AuthError(exc.code, exc.message)
    if isinstance(exc, PermissionDenied):
        return AccessDeniedError("The caller is not authorized to perform this operation.")
    if isinstance(exc, NotFound):
        return NotFoundError(exc.message or "The requested resource does not exist.")
    if isinstance(exc, RateLimited):
        return ThrottlingError("Rate exceeded")
    if isinstance(exc, RequestTooLarge):
        return ValidationError("The request is too large.")
    if isinstance(exc, Sealed):
        return KeyUnavailableError("Strongroom is sealed; keys are unavailable until it is unsealed.")
    if isinstance(exc, UnsupportedPath):
        return InternalError("The KMS mount is missing.")
    if isinstance(exc, InvalidRequest):
        return ValidationError(exc.message)
    if isinstance(exc, Fault):
        return InternalError()
    return InternalError()
