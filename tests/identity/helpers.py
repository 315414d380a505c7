"""Small steps the identity core tests share: mounts, users, logins."""

from __future__ import annotations

from typing import Any

from corefixture import CoreFixture
from strongroom.sdk.request import Operation


def enable(cf: CoreFixture, path: str, type_: str) -> str:
    """Enable an auth method; returns its mount accessor."""
    cf.write(f"sys/auth/{path}", type=type_)
    data = cf.read("sys/auth").data
    assert data is not None
    return str(data[f"{path}/"]["accessor"])


def policy(cf: CoreFixture, name: str, text: str) -> None:
    cf.write(f"sys/policies/acl/{name}", policy=text)


def userpass_login(cf: CoreFixture, user: str, mount: str = "userpass") -> dict[str, Any]:
    cf.write(f"auth/{mount}/users/{user}", password="pw-" + user)
    auth = cf.write(f"auth/{mount}/login/{user}", token="", password="pw-" + user).auth_out
    assert auth is not None
    return dict(auth)


def approle_login(cf: CoreFixture, role: str, mount: str = "approle") -> tuple[dict[str, Any], str]:
    """Log in with a new approle role; returns the auth block and the role_id (the alias name)."""
    cf.write(f"auth/{mount}/role/{role}", bind_secret_id=True)
    role_id = cf.read(f"auth/{mount}/role/{role}/role-id").data["role_id"]  # type: ignore[index]
    secret_id = cf.write(f"auth/{mount}/role/{role}/secret-id").data["secret_id"]  # type: ignore[index]
    auth = cf.write(f"auth/{mount}/login", token="", role_id=role_id, secret_id=secret_id).auth_out
    assert auth is not None
    return dict(auth), str(role_id)


def can(cf: CoreFixture, token: str, operation: Operation, path: str, **data: Any) -> bool:
    from strongroom.sdk.errors import PermissionDenied

    try:
        cf.call(operation, path, token, **data)
    except PermissionDenied:
        return False
    return True
