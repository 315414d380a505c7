"""login: exchange a role_id (and, when the role binds one, a secret_id) for a token.

Every credential failure gives the same message, whichever part was wrong. Checks run before anything is
consumed, so a refused login never spends one of a secret ID's uses."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.approle.model import Role, SecretId
from strongroom.auth.approle.store import AppRoleStore
from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import LoginGuard, NoLockout, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import AuthGrant, Response

INVALID = "invalid role or secret ID"


class WrongCredential(InvalidRequest):
    """An unknown role_id or a wrong, expired or spent secret_id: counts toward user lockout."""


@dataclass(frozen=True)
class LoginArgs:
    role_id: str | None = arg("Identifier of the role.", "", sensitive=True)
    secret_id: str | None = arg("A secret ID issued against the role.", "", sensitive=True)


def path_login(store: AppRoleStore, clock: Clock, lockout: LoginGuard | None = None) -> Path[LoginArgs]:
    """`lockout` counts failures per role_id (user lockout); a locked role_id gets the wrong-credential error
    before anything is checked or spent."""
    guard = lockout or NoLockout()

    def login(request: Request, args: LoginArgs) -> Response:
        role_id = (args.role_id or "").strip()
        if not role_id:
            raise InvalidRequest("missing role_id")
        if guard.locked(role_id):
            raise WrongCredential(INVALID)
        with store.lock:
            now = clock.now()
            role = store.role_by_id(role_id)
            try:
                if role is None:
                    raise WrongCredential(INVALID)
                found = _find_secret_id(store, role, (args.secret_id or "").strip(), now)
            except WrongCredential:
                guard.failed(role_id)
                raise
            # Only valid credentials reach the address checks, so they reveal nothing about a guess.
            _check_cidrs(request.remote_addr, role.secret_id_bound_cidrs, "by CIDR restrictions on the role")
            if found is not None:
                _check_cidrs(request.remote_addr, found[1].cidr_list, "through CIDR restrictions on the secret ID")
                _spend(store, *found, now)
        guard.succeeded(role_id)
        return Response(auth=_grant(role, found[1] if found else None))

    return Path(r"login", LoginArgs, operations={Operation.UPDATE: login}, synopsis="Log in with AppRole.")


def _find_secret_id(store: AppRoleStore, role: Role, secret_id: str, now: float) -> tuple[str, SecretId] | None:
    """The live secret ID the role requires (None when it binds none); the caller holds the store lock."""
    if not role.bind_secret_id:
        return None
    if not secret_id:
        raise InvalidRequest("missing secret_id")
    key = store.secret_key(role.name, secret_id)
    entry = store.secret(key)
    if entry is None:
        raise WrongCredential(INVALID)
    if entry.expired(now) or not store.has_accessor(entry):
        store.remove_secret(key, entry)
        raise WrongCredential(INVALID)
    return key, entry


def _spend(store: AppRoleStore, key: str, entry: SecretId, now: float) -> None:
    if entry.num_uses > 0 and not store.spend_secret(key, now):
        raise WrongCredential(INVALID)  # a sibling worker process spent its last use a moment ago


def _check_cidrs(remote_addr: str, cidrs: tuple[str, ...], restriction: str) -> None:
    if cidrs and not remote_addr_allowed(remote_addr, cidrs):
        raise InvalidRequest(f'source address "{remote_addr[:64]}" unauthorized {restriction}')


def _grant(role: Role, entry: SecretId | None) -> AuthGrant:
    metadata = {**(entry.metadata if entry else {}), "role_name": role.name}
    bound = entry.token_bound_cidrs if entry and entry.token_bound_cidrs else role.token.bound_cidrs
    # Vault's approle sets no display name (the token shows the mount's); the alias is the role_id.
    return role.token.grant(
        display_name="", alias_name=role.role_id, metadata=metadata, bound_cidrs=bound,
        internal={"role_name": role.name},
    )
