"""What a handler returns. The core turns `auth` into a token and `lease` into a registered lease; the HTTP
layer renders the Vault envelope (200) or nothing (204) by the rule in `Response.is_empty`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class LeaseOptions:
    """A secret with a lifetime. `secret_type` names the engine's SecretType that renews and revokes it;
    `internal` is what that revoke needs (kept encrypted in storage, never returned to the caller)."""

    secret_type: str
    ttl: int = 0
    max_ttl: int = 0
    renewable: bool = True
    internal: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuthGrant:
    """A successful login: the core mints a token with these properties."""

    policies: tuple[str, ...] = ()
    display_name: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    ttl: int = 0
    max_ttl: int = 0
    explicit_max_ttl: int = 0
    period: int = 0
    num_uses: int = 0
    renewable: bool = True
    no_default_policy: bool = False
    token_type: str = "service"
    alias_name: str = ""
    bound_cidrs: tuple[str, ...] = ()
    internal: Mapping[str, Any] = field(default_factory=dict)
    # Names of groups the external system vouches for (OIDC groups claim, GitHub teams): identity turns each
    # into a group alias on the login's mount accessor. `alias_metadata` is copied onto the entity alias.
    groups: tuple[str, ...] = ()
    alias_metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Raw:
    """A bare body outside the envelope (sys/health, sys/seal-status, PEM files)."""

    status: int
    body: bytes | Mapping[str, Any] | None
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Response:
    data: Mapping[str, Any] | None = None
    auth: AuthGrant | None = None
    lease: LeaseOptions | None = None
    warnings: list[str] = field(default_factory=list)
    # Set by the core: the minted token / registered lease, rendered into the envelope.
    auth_out: Mapping[str, Any] | None = None
    lease_id: str = ""
    lease_duration: int = 0
    renewable: bool = False
    wrap_info: Mapping[str, Any] | None = None
    # 202 for async work, 404 for kv-v2 deleted versions (an envelope with a 404 status).
    status: int | None = None
    raw: Raw | None = None
    # Legacy sys/ reads repeat `data` at the top level of the envelope.
    top_level: bool = False
    # Extra response headers the core adds (rate-limit quota headers); the HTTP edge writes them.
    headers: dict[str, str] | None = None

    def is_empty(self) -> bool:
        """Vault's rule: nothing to say -> 204 with no body."""
        return (
            self.raw is None
            and self.data is None
            and self.auth_out is None
            and not self.warnings
            and self.wrap_info is None
            and not self.lease_id
        )


def ok(data: Mapping[str, Any] | None = None, **kwargs: Any) -> Response:
    return Response(data=data, **kwargs)
