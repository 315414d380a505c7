"""The built-in policies and the sudo-protected ("root-protected") paths.

- `ROOT_POLICY` ("root") grants everything; it has no text and can be neither updated nor deleted.
- `DEFAULT_POLICY` ("default") is attached to tokens unless they opt out; `DEFAULT_POLICY_TEXT` is what a
  fresh server serves for it (OpenBao 2.x's default). Operators may edit it but not delete it.
- `SUDO_PATHS` are full request paths (mount included) for which a policy must grant `sudo` in addition to
  the operation's capability. A pattern ending in `*` is a prefix; any other pattern is exact (Vault's
  special-path rules). `requires_sudo(path)` answers for one request path.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_POLICY", "DEFAULT_POLICY_TEXT", "ROOT_POLICY", "SUDO_PATHS", "requires_sudo"]

ROOT_POLICY: Final = "root"
DEFAULT_POLICY: Final = "default"

DEFAULT_POLICY_TEXT: Final = """\
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}


# Allow a token to look up its resultant ACL from all policies. This is useful
# for UIs. It is an internal path because the format may change at any time
# based on how the internal ACL features and capabilities change.
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body; old path for
# old clients, new path for newer
path "sys/renew" {
    capabilities = ["update"]
}
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties. This requires knowing the lease ID ahead
# of time and does not divulge any sensitive information.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given
# response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token. This is a convenience to
# avoid client token swapping since this is also part of the response wrapping
# policy.
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Allow a token to make requests to the Authorization Endpoint for OIDC providers.
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
"""

SUDO_PATHS: Final[tuple[str, ...]] = (
    # The sys backend's PathsSpecial.Root (OpenBao 2.x), minus replication/raft/inspect paths we do not serve.
    "sys/auth/*",
    "sys/remount",
    "sys/audit",
    "sys/audit/*",
    "sys/raw",
    "sys/raw/*",
    "sys/rotate",
    "sys/config/cors",
    "sys/config/auditing/*",
    "sys/config/ui/headers/*",
    "sys/plugins/catalog/*",
    "sys/revoke-prefix/*",
    "sys/revoke-force/*",
    "sys/leases/revoke-prefix/*",
    "sys/leases/revoke-force/*",
    "sys/leases/lookup/*",
    "sys/leases",
    # Vault hard-codes sudo for these two in their handlers; listing them keeps one source of truth.
    "sys/seal",
    "sys/step-down",
    # The token store's PathsSpecial.Root, plus the bare revoke-orphan endpoint its handler guards itself.
    "auth/token/revoke-orphan",
    "auth/token/revoke-orphan/*",
    "auth/token/accessors*",
)


def _compile(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    exact = frozenset(p for p in patterns if not p.endswith("*"))
    prefixes = tuple(p[:-1] for p in patterns if p.endswith("*"))
    return exact, prefixes


_EXACT, _PREFIXES = _compile(SUDO_PATHS)


def requires_sudo(path: str) -> bool:
    """Whether a request on `path` (full path, no leading '/') needs `sudo` besides its own capability.

    A trailing '/' is ignored for exact entries, so `LIST sys/leases/` is protected like `sys/leases`.
    """
    path = path.lstrip("/")
    return path in _EXACT or path.rstrip("/") in _EXACT or path.startswith(_PREFIXES)
