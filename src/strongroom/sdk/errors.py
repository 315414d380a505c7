"""The error tree. Each class maps to one HTTP status in one table at the edge (`strongroom.http.errors`).

    StrongroomError
    ├── UserError                  400  the request is wrong; the message is safe to show
    │   ├── InvalidRequest         400
    │   ├── PermissionDenied       403
    │   ├── NotFound               404  (no message: Vault answers {"errors": []})
    │   ├── UnsupportedPath        404  no handler for the path
    │   ├── UnsupportedOperation   405
    │   ├── UnsupportedMediaType   415
    │   ├── RequestTooLarge        413
    │   └── RateLimited            429
    ├── Sealed                     503  the barrier is sealed
    └── Fault                      500  our failure or a backing system's; the message is logged, not shown

Messages never contain secret values: handlers raise with field names, not field contents.
"""

from __future__ import annotations


class StrongroomError(Exception):
    """Base of every error the server raises on purpose."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class UserError(StrongroomError):
    """The caller's request cannot be served as sent."""


class InvalidRequest(UserError):
    pass


class PermissionDenied(UserError):
    def __init__(self, message: str = "permission denied") -> None:
        super().__init__(message)


class NotFound(UserError):
    """The named thing does not exist; Vault reports this with an empty error list."""


class UnsupportedPath(UserError):
    pass


class UnsupportedOperation(UserError):
    def __init__(self, message: str = "unsupported operation") -> None:
        super().__init__(message)


class UnsupportedMediaType(UserError):
    pass


class RequestTooLarge(UserError):
    pass


class RateLimited(UserError):
    """A rate-limit quota refused the request; `retry_after` is in seconds, `headers` are extra response
    headers (X-Ratelimit-*) the edge adds when the operator enabled them."""

    def __init__(self, message: str, retry_after: int = 1, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = headers or {}


class Sealed(StrongroomError):
    def __init__(self, message: str = "Vault is sealed") -> None:
        super().__init__(message)


class Fault(StrongroomError):
    """Something failed on our side or in a backing system."""
