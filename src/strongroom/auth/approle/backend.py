"""The approle backend: its paths, the login path that needs no token, and periodic tidying."""

from __future__ import annotations

from strongroom.auth.approle.path_login import path_login
from strongroom.auth.approle.path_role import path_role, path_roles_list
from strongroom.auth.approle.path_role_id import path_role_id
from strongroom.auth.approle.path_secret_id import SecretIdIssuer, path_custom_secret_id, path_secret_id
from strongroom.auth.approle.path_secret_id_ops import (
    path_accessor_destroy,
    path_accessor_lookup,
    path_secret_id_destroy,
    path_secret_id_lookup,
)
from strongroom.auth.approle.path_tidy import path_tidy
from strongroom.auth.approle.store import AppRoleStore
from strongroom.sdk.framework import Backend, EngineEnv
from strongroom.sdk.request import Request

HELP = """The approle auth method lets machines log in with a role_id and a secret_id.

Roles are managed under role/; secret IDs are issued at role/<name>/secret-id; machines log in at login."""

TIDY_INTERVAL = 60  # seconds, as Vault's periodic func


class AppRoleBackend(Backend):
    def __init__(self, env: EngineEnv) -> None:
        self.store = AppRoleStore(env.storage)
        issuer = SecretIdIssuer(self.store, env.clock, env.system)
        super().__init__(
            [
                path_roles_list(self.store),
                path_role(self.store, env.system),
                path_role_id(self.store),
                path_secret_id(self.store, issuer),
                path_custom_secret_id(issuer),
                path_secret_id_lookup(self.store),
                path_secret_id_destroy(self.store),
                path_accessor_lookup(self.store),
                path_accessor_destroy(self.store),
                path_login(self.store, env.clock, env.lockout),
                path_tidy(self.store, env.clock),
            ],
            help=HELP,
            unauthenticated=[r"login/?"],
        )
        self._last_tidy = 0.0

    def initialize(self) -> None:
        self.store.ensure_key()

    def resolve_role(self, request: Request) -> str:
        if request.path.rstrip("/") != "login":
            return ""
        role = self.store.role_by_id(str(request.data.get("role_id") or "").strip())
        return role.name if role is not None else ""

    def periodic(self, now: float) -> None:
        if now - self._last_tidy >= TIDY_INTERVAL:
            self._last_tidy = now
            self.store.tidy(now)


def build(env: EngineEnv) -> AppRoleBackend:
    return AppRoleBackend(env)


def factory(env: EngineEnv) -> Backend:
    return build(env)
