"""role/<role_name>/role-id: read the role's identifier, or set a custom one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.auth.approle.model import NAME_PATTERN
from strongroom.auth.approle.store import AppRoleStore
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class RoleIdArgs:
    role_name: str = arg("Name of the role.")
    role_id: str | None = arg("The new identifier of the role.", "", sensitive=True)


def path_role_id(store: AppRoleStore) -> Path[RoleIdArgs]:
    def read(request: Request, args: RoleIdArgs) -> Response:
        role = store.role(args.role_name)
        if role is None:
            raise NotFound()
        return Response(data={"role_id": role.role_id})

    def update(request: Request, args: RoleIdArgs) -> Response:
        role_id = (args.role_id or "").strip()
        if not role_id:
            raise InvalidRequest("missing role_id")
        with store.lock:
            role = store.role(args.role_name)
            if role is None:
                raise NotFound(f'role "{args.role_name.lower()}" does not exist')
            store.put_role(replace(role, role_id=role_id), role)
        return Response()

    return Path(
        rf"role/(?P<role_name>{NAME_PATTERN})/role-id",
        RoleIdArgs,
        operations={Operation.READ: read, Operation.UPDATE: update},
        synopsis="Read or set the role_id of a role.",
    )
