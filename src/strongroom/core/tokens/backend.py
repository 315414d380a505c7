"""auth/token/: create, lookup, renew and revoke tokens, and token roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strongroom.core.identity.grants import identity_policies, token_acl
from strongroom.core.issuing import auth_block, effective_policies, identity_extra, store_token, ttl_capped_warning
from strongroom.core.leases.lease import TOKEN, Lease
from strongroom.core.tokens.entry import TokenEntry
from strongroom.core.tokens.roles import RoleArgs, TokenRole
from strongroom.sdk.errors import InvalidRequest, NotFound, PermissionDenied
from strongroom.sdk.framework import Backend, Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class CreateArgs:
    id: str = arg("A custom token value (root only).", "", sensitive=True)
    policies: list[str] = arg("Policies; defaults to the parent's.", factory=list)
    meta: dict[str, str] = arg("Metadata.", factory=dict)
    no_parent: bool = arg("Create an orphan (sudo).", False)
    no_default_policy: bool = arg("Leave out the default policy.", False)
    renewable: bool = arg("Allow renewal.", True)
    ttl: Duration = arg("Time to live.", Duration(0))
    lease: Duration = arg("Legacy name of ttl.", Duration(0))
    explicit_max_ttl: Duration = arg("Hard maximum lifetime.", Duration(0))
    period: Duration = arg("Periodic token period.", Duration(0))
    display_name: str = arg("Display name.", "")
    num_uses: int = arg("Maximum uses; 0 is unlimited.", 0)
    type: str = arg("service or batch.", "service")
    entity_alias: str = arg("Accepted for compatibility.", "")


@dataclass(frozen=True)
class RoleCreateArgs(CreateArgs):
    """`role_name` comes only from the path: in a body on plain create it is an ignored field, as in Vault."""

    role_name: str = arg("Token role (from the path).", "")


@dataclass(frozen=True)
class TokenArgs:
    token: str = arg("The token.", "", sensitive=True)
    url_token: str = arg("The token (deprecated path form).", "", sensitive=True)
    accessor: str = arg("The token's accessor.", "")
    increment: Duration = arg("Requested TTL extension.", Duration(0))


@dataclass(frozen=True)
class NoArgs:
    pass


class TokenBackend:
    def __init__(self, core: Core) -> None:
        self.core = core

    # --- create ---------------------------------------------------------------------------------------
    def _parent(self, request: Request) -> TokenEntry:
        assert request.caller is not None
        parent = self.core.tokens.get_by_id(request.caller.token_id)
        if parent is None:
            raise PermissionDenied()
        return parent

    def _has_sudo(self, parent: TokenEntry) -> bool:
        acl = token_acl(self.core.policies, self.core.resolver, parent)
        return acl.is_root or acl.check("auth/token/create", "update").sudo

    def create(self, request: Request, args: CreateArgs) -> Response:
        parent = self._parent(request)
        role_name = args.role_name if isinstance(args, RoleCreateArgs) else ""
        role = self._role(role_name) if role_name else None
        orphan = request.path == "create-orphan" or (role is not None and role.orphan)
        if args.no_parent:
            if not self._has_sudo(parent):
                raise InvalidRequest("root or sudo privileges required to create orphan token")
            orphan = True
        if args.id and not parent.is_root:
            raise InvalidRequest("root or sudo privileges required to specify token id")
        if args.num_uses < 0:
            raise InvalidRequest("number of uses cannot be negative")
        for name in ("ttl", "lease", "explicit_max_ttl", "period"):  # Vault's words; a negative TTL never expires
            if getattr(args, name) < 0:
                raise InvalidRequest(f"{name} must be positive")
        if args.type not in ("service", "batch"):
            raise InvalidRequest(f"unsupported token type {args.type[:16]!r}")
        policies = self._policies(parent, role, args)
        entry, warnings = self._entry(request, parent, role, args, policies, orphan)
        token, entry = store_token(self.core, entry, args.id or None)
        return Response(auth_out=auth_block(token, entry), warnings=warnings)

    def _policies(self, parent: TokenEntry, role: TokenRole | None, args: CreateArgs) -> tuple[str, ...]:
        no_default = args.no_default_policy or (role is not None and role.no_default_policy)
        if role is not None:
            return effective_policies(role.policies_for(args.policies), no_default)
        requested = [p.lower() for p in args.policies] or [p for p in parent.policies if p != "default"]
        if not parent.is_root and not set(requested) - {"default"} <= set(parent.policies):
            raise InvalidRequest("child policies must be subset of parent")
        return effective_policies(requested, no_default)

    def _entry(self, request: Request, parent: TokenEntry, role: TokenRole | None, args: CreateArgs,
               policies: tuple[str, ...], orphan: bool) -> tuple[TokenEntry, list[str]]:
        now = self.core.clock.now()
        system = self.core.mounts.system_view(self.core.router.get("auth/token/").entry)  # type: ignore[union-attr]
        period = args.period or (role.period if role else 0)
        explicit = args.explicit_max_ttl or (role.explicit_max_ttl if role else 0)
        maximum = min(x for x in (explicit, system.max_lease_ttl()) if x)
        warnings: list[str] = []
        ttl = period or args.ttl or args.lease or system.default_lease_ttl()
        if "root" in policies and not (args.ttl or args.lease or period or explicit):
            ttl = 0
        elif ttl > maximum:
            warnings.append(ttl_capped_warning(ttl, maximum))
            ttl = maximum
        path = "auth/token/create" + (f"/{role.name}" if role else "")
        if role and role.path_suffix:
            path += f"/{role.path_suffix}"
        name = display_name(args.display_name)
        entry = TokenEntry(
            id="", accessor="", policies=policies, path=path, creation_time=now, ttl=ttl,
            expire_time=now + ttl if ttl else 0, parent="" if orphan else parent.id, display_name=name,
            meta=dict(args.meta), num_uses=args.num_uses, explicit_max_ttl=explicit, period=period,
            renewable=args.renewable and (role.renewable if role else True) and args.type != "batch",
            type=args.type, role=role.name if role else "", entity_id=parent.entity_id,
            no_default_policy=args.no_default_policy,
        )
        return entry, warnings

    # --- lookup -------------------------------------------------------------------------------------
    def _target(self, request: Request, args: TokenArgs) -> tuple[TokenEntry, str]:
        if request.path in ("lookup-self", "renew-self", "revoke-self"):
            return self._parent(request), request.client_token
        if request.path.endswith("-accessor"):
            entry = self.core.tokens.by_accessor(args.accessor)
            token = ""
        else:
            token = args.token or args.url_token
            entry = self.core.tokens.lookup(token)
        if entry is None:
            raise PermissionDenied("bad token") if "lookup" in request.path else InvalidRequest(
                "token to revoke not found" if "revoke" in request.path else "invalid token")
        return entry, token

    def lookup(self, request: Request, args: TokenArgs) -> Response:
        entry, token = self._target(request, args)
        data = entry.lookup_data(self.core.clock.now(), token)
        extra = identity_policies(self.core.resolver, entry)
        if extra:
            data["identity_policies"] = list(extra)
        return Response(data=data)

    # --- renew and revoke -----------------------------------------------------------------------------
    def renew(self, request: Request, args: TokenArgs) -> Response:
        entry, token = self._target(request, args)
        if not entry.expire_time:
            return Response(auth_out=auth_block(token, entry, identity_extra(self.core, entry)))
        if not entry.renewable:
            raise InvalidRequest("lease is not renewable")
        now = self.core.clock.now()
        ttl = entry.period or args.increment or entry.ttl
        system = self.core.mounts.system_view(self.core.router.get("auth/token/").entry)  # type: ignore[union-attr]
        if not entry.period:
            limit = entry.creation_time + min(x for x in (entry.explicit_max_ttl, system.max_lease_ttl()) if x)
            ttl = int(max(0, min(ttl, limit - now)))
        elif entry.explicit_max_ttl:
            ttl = int(max(0, min(ttl, entry.creation_time + entry.explicit_max_ttl - now)))
        renewed = self.core.tokens.change(entry.id, expire_time=now + ttl, ttl=ttl)
        if renewed is None:
            raise InvalidRequest("invalid token")  # revoked meanwhile
        self.core.expiration.register(Lease(id=f"{renewed.path}/{renewed.id}", kind=TOKEN, path=renewed.path,
                                            token_id=renewed.id, issue_time=renewed.creation_time,
                                            expire_time=renewed.expire_time))
        return Response(auth_out=auth_block(token, renewed, identity_extra(self.core, renewed)))

    def revoke(self, request: Request, args: TokenArgs) -> Response:
        entry, _ = self._target(request, args)
        self.core.tokens.revoke_tree(entry.id)
        return Response()

    def revoke_orphan(self, request: Request, args: TokenArgs) -> Response:
        entry, _ = self._target(request, args)
        self.core.tokens.revoke_orphan(entry.id)
        return Response()

    def accessors(self, request: Request, args: NoArgs) -> Response:
        return Response(data={"keys": self.core.tokens.accessors()})

    # --- roles ------------------------------------------------------------------------------------------
    def _role(self, name: str) -> TokenRole:
        raw = self.core.tokens.storage.get(f"roles/{name.lower()}")
        if raw is None:
            raise InvalidRequest(f"unknown role {name[:64]}")
        return TokenRole.deserialize(raw)

    def role_read(self, request: Request, args: RoleArgs) -> Response:
        raw = self.core.tokens.storage.get(f"roles/{args.role_name.lower()}")
        if raw is None:
            raise NotFound()
        return Response(data=TokenRole.deserialize(raw).api())

    def role_write(self, request: Request, args: RoleArgs) -> Response:
        role = TokenRole.from_args(args)
        self.core.tokens.storage.put(f"roles/{role.name}", role.serialize())
        return Response()

    def role_delete(self, request: Request, args: RoleArgs) -> Response:
        self.core.tokens.storage.delete(f"roles/{args.role_name.lower()}")
        return Response()

    def role_list(self, request: Request, args: NoArgs) -> Response:
        keys = self.core.tokens.storage.list("roles/")
        return Response(data={"keys": keys} if keys else None)

    def tidy(self, request: Request, args: NoArgs) -> Response:
        return Response(status=202, warnings=["Tidy operation successfully started. Any information from the "
                                              "operation will be printed to OpenBao's server logs."])


def token_backend(core: Core) -> Backend:
    b = TokenBackend(core)
    update, read = Operation.UPDATE, Operation.READ
    return Backend([
        Path("create(?:-orphan)?", CreateArgs, {update: b.create}, synopsis="Create a token."),
        Path("create/(?P<role_name>[^/]+)", RoleCreateArgs, {update: b.create}, synopsis="Create a token for a role."),
        Path("lookup-self", TokenArgs, {read: b.lookup, update: b.lookup}, synopsis="Look up the calling token.",
             inline=True),
        Path("lookup(?:/(?P<url_token>.+))?", TokenArgs, {read: b.lookup, update: b.lookup},
             synopsis="Look up a token.", inline=True),
        Path("lookup-accessor", TokenArgs, {update: b.lookup}, synopsis="Look up a token by accessor.",
             inline=True),
        Path("renew(?:-self|-accessor)?", TokenArgs, {update: b.renew}, synopsis="Renew a token."),
        Path("revoke(?:-self|-accessor)?", TokenArgs, {update: b.revoke}, synopsis="Revoke a token and its children."),
        Path("revoke-orphan", TokenArgs, {update: b.revoke_orphan}, synopsis="Revoke a token, orphaning children."),
        Path("accessors/?", NoArgs, {Operation.LIST: b.accessors}, synopsis="List token accessors (sudo)."),
        Path("roles/?", NoArgs, {Operation.LIST: b.role_list}, synopsis="List token roles."),
        Path("roles/(?P<role_name>[^/]+)", RoleArgs,
             {read: b.role_read, update: b.role_write, Operation.DELETE: b.role_delete}, synopsis="Token roles."),
        Path("tidy", NoArgs, {update: b.tidy}, synopsis="Clean up token storage."),
    ], help="Tokens: create, look up, renew and revoke.")


def display_name(requested: str) -> str:
    """Vault's rule: "token-" + the name with every character outside [A-Za-z0-9-] made "-", one trailing "-" cut."""
    if not requested:
        return "token"
    return re.sub(r"[^a-zA-Z0-9-]", "-", f"token-{requested}").removesuffix("-")
