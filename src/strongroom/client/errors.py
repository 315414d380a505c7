"""The client's error tree.

    ClientError
    ├── ApiError          the server answered with a status >= 400; `status` and `errors` as sent
    ├── ConnectionFailed  no answer: refused, unreachable, TLS failure or timeout
    └── UsageError        the call cannot be made as asked (e.g. a KV v2 operation on a v1 mount)

Messages never contain a token or a secret value.
"""

from __future__ import annotations

from collections.abc import Sequence


class ClientError(Exception):
    """Base of every error raised by `strongroom.client`."""


class ApiError(ClientError):
    """The server refused the request.

    `errors` is the server's `{"errors": [...]}` list, which Vault leaves empty for a plain 404.
    """

    def __init__(self, status: int, errors: Sequence[str], method: str = "", url: str = "") -> None:
        self.status = status
        self.errors: tuple[str, ...] = tuple(errors)
        self.method = method
        self.url = url
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"Error making API request.\n\nURL: {self.method} {self.url}\nCode: {self.status}."
        if not self.errors:
            return head
        lines = "\n".join(f"* {e}" for e in self.errors)
        return f"{head} Errors:\n\n{lines}"


class ConnectionFailed(ClientError):
    """The server could not be reached."""

    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        super().__init__(f"cannot reach {address}: {reason}")


class UsageError(ClientError):
    """The operation does not apply here, for example `patch` on a KV version 1 mount."""
