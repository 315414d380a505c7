"""What identity adds to a token at request time.

Contract: a token issued to an entity is worth its own policies plus the entity's and its groups' (direct and
inherited), read now, so a change to an entity or group applies to tokens already issued. Templated policy paths
are filled with that entity's values. A token whose entity no longer exists keeps only its own policies
(templated paths then resolve to nothing); a token whose entity is disabled is refused (`check_enabled`).
"root" never comes from identity, whatever is stored.
"""

from __future__ import annotations

from strongroom.core.identity.resolve import IdentityView, Resolver
from strongroom.core.policy.acl import ACL
from strongroom.core.policy.model import normalize_name
from strongroom.core.policy.store import PolicyStore
from strongroom.core.tokens.entry import TokenEntry
from strongroom.sdk.errors import PermissionDenied


def view_of(resolver: Resolver, entry: TokenEntry) -> IdentityView | None:
    return resolver.view(entry.entity_id) if entry.entity_id else None


def identity_policies(resolver: Resolver, entry: TokenEntry) -> tuple[str, ...]:
    """The policies the token's entity and its groups add (empty without an entity, or when it is disabled)."""
    view = view_of(resolver, entry)
    if view is None or view.disabled:
        return ()
    return tuple(p for p in view.policies if normalize_name(p) != "root")


def check_enabled(resolver: Resolver, entry: TokenEntry) -> None:
    view = view_of(resolver, entry)
    if view is not None and view.disabled:
        raise PermissionDenied()


def token_acl(policies: PolicyStore, resolver: Resolver, entry: TokenEntry) -> ACL:
    """The ACL a request with this token is checked against (an empty one when its entity is disabled)."""
    view = view_of(resolver, entry)
    if view is None:
        return policies.acl_for(entry.policies)
    if view.disabled:
        return policies.acl_for(())
    return policies.acl_for((*entry.policies, *identity_policies(resolver, entry)), view.template_values)
