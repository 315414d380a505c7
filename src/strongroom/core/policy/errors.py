"""Errors of the policy package.

    InvalidRequest (sdk, 400) + ValueError
    └── PolicyError            a policy operation the caller may not perform (update root, delete default, ...)
        └── PolicyParseError   the policy text is not a valid policy; the message starts "failed to parse policy: "

Both are user errors: the message is safe to show and never contains more than the offending token of the text.
"""

from __future__ import annotations

from strongroom.sdk.errors import InvalidRequest


class PolicyError(InvalidRequest, ValueError):
    """A policy request that cannot be honoured; maps to 400 like Vault."""


class PolicyParseError(PolicyError):
    """The text is neither a valid HCL nor a valid JSON policy."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"failed to parse policy: {detail}")
        self.detail = detail
