"""Turning handler results into credentials: a token for a login, a registered lease for a secret."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from strongroom.core.identity.grants import identity_policies
from strongroom.core.identity.login import on_login
from strongroom.core.identity.model import is_root_spelling
from strongroom.core.leases.lease import SECRET, TOKEN, Lease
from strongroom.core.routing.mount_table import MountEntry
from strongroom.core.tokens.entry import TokenEntry
from strongroom.crypto.random import base62
from strongroom.sdk.duration import format_duration
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.request import Request
from strongroom.sdk.response import AuthGrant, Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


def root_entry(now: float) -> TokenEntry:
    return TokenEntry(id="", accessor="", policies=("root",), path="auth/token/root", creation_time=now,
                      ttl=0, expire_time=0, display_name="root", renewable=False)


def effective_policies(policies: tuple[str, ...] | list[str], no_default: bool) -> tuple[str, ...]:
    names = {p.strip().lower() for p in policies if p.strip()}
    if not no_default and "root" not in names:
        names.add("default")
    return tuple(sorted(names))


def short_duration(seconds: int) -> str:
    """A Go duration without trailing zero units, as Vault's TTL warnings show it: 3600 -> "1h", 90 -> "1m30s"."""
    text = format_duration(seconds)
    if text.endswith("m0s"):
        text = text[:-2]
    if text.endswith("h0m"):
        text = text[:-2]
    return text


def ttl_capped_warning(ttl: int, maximum: int) -> str:
    return (f'TTL of "{short_duration(ttl)}" exceeded the effective max_ttl of "{short_duration(maximum)}"; '
            "TTL value is capped accordingly")


def capped_ttl(requested: int, default: int, maximum: int) -> tuple[int, list[str]]:
    """The TTL to grant and any warning, as Vault caps a TTL above the effective max."""
    ttl = requested or default
    if maximum and ttl > maximum:
        return maximum, [ttl_capped_warning(ttl, maximum)]
    return ttl, []


def auth_block(token: str, entry: TokenEntry, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "client_token": token,
        "accessor": entry.accessor,
        "policies": list(entry.policies),
        "token_policies": list(entry.policies),
        "metadata": dict(entry.meta) or None,
        "lease_duration": entry.ttl,
        "renewable": entry.renewable,
        "entity_id": entry.entity_id,
        "token_type": entry.type,
        "orphan": entry.orphan,
        "mfa_requirement": None,
        "num_uses": entry.num_uses,
        **(extra or {}),
    }


def store_token(core: Core, entry: TokenEntry, token: str | None = None) -> tuple[str, TokenEntry]:
    """Persist a token and its lease in one commit (never one without the other), and arm its expiry."""
    token, entry, writes = core.tokens.prepare(entry, token)
    if not entry.expire_time:
        core.token_view.batch(writes)
        return token, entry
    lease = Lease(id=f"{entry.path}/{entry.id}", kind=TOKEN, path=entry.path, token_id=entry.id,
                  issue_time=entry.creation_time, expire_time=entry.expire_time)
    core.barrier.batch([*core.token_view.scoped(writes), *core.lease_view.scoped(core.expiration.registration(lease))])
    core.expiration.arm(lease)
    return token, entry


def login(core: Core, request: Request, full_path: str, mount: MountEntry, response: Response) -> Response:
    grant: AuthGrant = response.auth  # type: ignore[assignment]
    # A role's or user's token_policies may name root (" Root", "ROOT"...): no login ever mints root (as Vault).
    # Checked before anything is created, so the refused login leaves no entity and no token behind.
    if any(is_root_spelling(name) for name in grant.policies):
        raise InvalidRequest("auth methods cannot create root tokens")
    system = core.mounts.system_view(mount)
    maximum = min(x for x in (grant.max_ttl, grant.explicit_max_ttl, system.max_lease_ttl()) if x) if (
        grant.max_ttl or grant.explicit_max_ttl or system.max_lease_ttl()) else 0
    ttl, warnings = (grant.period, []) if grant.period else capped_ttl(grant.ttl, system.default_lease_ttl(), maximum)
    now = core.clock.now()
    name = f"{mount.path.rstrip('/')}-{grant.display_name}" if grant.display_name else mount.path.rstrip("/")
    entity_id = on_login(core.identity, mount.accessor, grant.alias_name, grant.alias_metadata, grant.groups)
    entry = TokenEntry(
        id="", accessor="", policies=effective_policies(grant.policies, grant.no_default_policy), path=full_path,
        creation_time=now, ttl=ttl, expire_time=now + ttl if ttl else 0, display_name=name,
        meta=dict(grant.metadata), num_uses=grant.num_uses, explicit_max_ttl=grant.explicit_max_ttl,
        period=grant.period, renewable=grant.renewable, bound_cidrs=tuple(grant.bound_cidrs),
        mount_accessor=mount.accessor, no_default_policy=grant.no_default_policy, entity_id=entity_id,
    )
    token, entry = store_token(core, entry)
    return replace(response, auth=None, auth_out=auth_block(token, entry, identity_extra(core, entry)),
                   warnings=[*response.warnings, *warnings])


def identity_extra(core: Core, entry: TokenEntry) -> dict[str, Any] | None:
    """What a token's entity adds to an auth block: `identity_policies`, and `policies` as the sorted union of
    the token's own and those (Vault's login answer)."""
    extra = identity_policies(core.resolver, entry)
    if not extra:
        return None
    return {"identity_policies": list(extra), "policies": sorted({*entry.policies, *extra})}


def lease(core: Core, full_path: str, mount: MountEntry, owner: TokenEntry, response: Response) -> Response:
    options = response.lease
    assert options is not None
    system = core.mounts.system_view(mount)
    maximum = min(x for x in (options.max_ttl, system.max_lease_ttl()) if x)
    ttl, warnings = capped_ttl(options.ttl, system.default_lease_ttl(), maximum)
    now = core.clock.now()
    lease_id = f"{full_path}/{base62(24)}"
    core.expiration.register(Lease(
        id=lease_id, kind=SECRET, path=full_path, token_id=owner.id, issue_time=now, expire_time=now + ttl,
        renewable=options.renewable, max_expire=now + maximum, mount=mount.router_path,
        secret_type=options.secret_type, internal=dict(options.internal),
    ))
    return replace(response, lease=None, lease_id=lease_id, lease_duration=ttl, renewable=options.renewable,
                   warnings=[*response.warnings, *warnings])
