"""The one table from error class to HTTP status, looked up by MRO (most specific class first)."""

from __future__ import annotations

from strongroom.sdk import errors as e

STATUS: dict[type[BaseException], int] = {
    e.InvalidRequest: 400,
    e.PermissionDenied: 403,
    e.NotFound: 404,
    e.UnsupportedPath: 404,
    e.UnsupportedOperation: 405,
    e.RequestTooLarge: 413,
    e.UnsupportedMediaType: 415,
    e.RateLimited: 429,
    e.UserError: 400,
    e.Sealed: 503,
    e.Fault: 500,
}


def status_for(exc: BaseException) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def messages_for(exc: BaseException) -> list[str]:
    """What the caller may see: user errors say what went wrong; faults say nothing specific."""
    if isinstance(exc, e.NotFound):
        return []
    if isinstance(exc, e.UnsupportedOperation) and not exc.message:
        return []
    if isinstance(exc, e.UserError | e.Sealed):
        return [exc.message] if exc.message else []
    if isinstance(exc, e.Fault) and exc.message.startswith("internal error"):
        return [exc.message]
    return ["internal error"]
