"""sys/mounts, sys/auth (enable, disable, tune, read, list) and sys/internal/ui/mounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.core.lockout.settings import SUPPORTED_TYPES, parse_settings
from strongroom.core.mounts import normalize_mount_path
from strongroom.core.routing.mount_table import MountConfig, MountEntry
from strongroom.core.system.common import NoArgs, legacy
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import Fault, InvalidRequest, PermissionDenied
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True)
class MountArgs:
    path: str = arg("Mount path.")
    type: str = arg("Engine or auth method type.", "")
    description: str | None = arg("Human-friendly description.", None)
    config: dict[str, Any] | None = arg("default_lease_ttl, max_lease_ttl and other tuning.", None)
    options: dict[str, Any] | None = arg("Engine options, such as the KV version.", None)
    local: bool = arg("Local to this cluster (accepted for compatibility).", False)
    seal_wrap: bool = arg("Accepted for compatibility.", False)
    external_entropy_access: bool = arg("Accepted for compatibility.", False)
    plugin_name: str | None = arg("Legacy alias of type.", None)
    plugin_version: str | None = arg("Accepted for compatibility.", None)


@dataclass(frozen=True)
class TuneArgs:
    path: str = arg("Mount path.")
    default_lease_ttl: Any = arg("Default lease TTL.", None)
    max_lease_ttl: Any = arg("Maximum lease TTL.", None)
    description: str | None = arg("Description.", None)
    listing_visibility: str | None = arg('"unauth" to list the mount without a token.', None)
    audit_non_hmac_request_keys: list[str] | None = arg("Request keys kept clear in audit logs.", None)
    audit_non_hmac_response_keys: list[str] | None = arg("Response keys kept clear in audit logs.", None)
    passthrough_request_headers: list[str] | None = arg("Headers passed to the backend.", None)
    token_type: str | None = arg("Token type for auth mounts.", None)
    options: dict[str, Any] | None = arg("Engine options.", None)
    force_no_cache: bool | None = arg("Accepted for compatibility.", None)
    user_lockout_config: dict[str, Any] | None = arg(
        "Auth mounts: lockout_threshold, lockout_duration, lockout_counter_reset, lockout_disable.", None)


@dataclass(frozen=True)
class UiArgs:
    path: str = arg("Path within a mount.", "")


def _config(raw: dict[str, Any]) -> MountConfig:
    return MountConfig(
        default_lease_ttl=parse_duration(raw.get("default_lease_ttl") or 0, "default_lease_ttl"),
        max_lease_ttl=parse_duration(raw.get("max_lease_ttl") or 0, "max_lease_ttl"),
        listing_visibility=str(raw.get("listing_visibility") or ""),
        audit_non_hmac_request_keys=tuple(raw.get("audit_non_hmac_request_keys") or ()),
        audit_non_hmac_response_keys=tuple(raw.get("audit_non_hmac_response_keys") or ()),
        passthrough_request_headers=tuple(raw.get("passthrough_request_headers") or ()),
        token_type=str(raw.get("token_type") or ""),
        user_lockout=_lockout_config(raw.get("user_lockout_config")),
    )


def _lockout_config(raw: Any) -> dict[str, Any]:
    """A mount's `user_lockout_config`, checked now rather than at its first login."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidRequest("user_lockout_config must be an object")
    parse_settings(raw)
    return {k: v for k, v in raw.items() if v not in (None, "")}


def _tune_view(core: Core, entry: MountEntry) -> dict[str, Any]:
    view = core.mounts.system_view(entry)
    data: dict[str, Any] = {
        "description": entry.description,
        "default_lease_ttl": view.default_lease_ttl(),
        "max_lease_ttl": view.max_lease_ttl(),
        "force_no_cache": False,
        "options": dict(entry.options) or None,
    }
    if entry.table == "auth":
        data["token_type"] = entry.config.token_type or "default-service"
    if entry.config.listing_visibility:
        data["listing_visibility"] = entry.config.listing_visibility
    if entry.table == "auth" and entry.type in SUPPORTED_TYPES:
        data["user_lockout_config"] = core.lockout.settings(entry.accessor).to_api()
    return data


UPGRADE_WARNING = ("Upgrading from non-versioned to versioned data. This backend will be unavailable for a brief "
                   "period and will resume service shortly.")


def _changes(args: TuneArgs) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("default_lease_ttl", "max_lease_ttl"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = parse_duration(value, name)
    for name in ("listing_visibility", "token_type", "description", "options"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    for name in ("audit_non_hmac_request_keys", "audit_non_hmac_response_keys", "passthrough_request_headers"):
        if getattr(args, name) is not None:
            changes[name] = tuple(getattr(args, name))
    if args.user_lockout_config is not None:
        changes["user_lockout"] = _lockout_config(args.user_lockout_config)
    return changes


def _table_paths(core: Core, table: str, prefix: str) -> list[Path[Any]]:
    def listing(request: Request, args: NoArgs) -> Response:
        return legacy({e.path: e.to_api() for e in core.mounts.entries(table)})

    def read(request: Request, args: MountArgs) -> Response:
        entry = core.mounts.find(table, args.path)
        if entry is None:
            raise InvalidRequest(f"No {'auth' if table == 'auth' else 'secret'} engine mount at {args.path}")
        return legacy(entry.to_api())

    def enable(request: Request, args: MountArgs) -> Response:
        type_ = args.type or args.plugin_name
        if not type_:
            raise InvalidRequest("plugin type must be specified")
        options = {k: str(v) for k, v in (args.options or {}).items()}
        config = _config(args.config or {})
        core.mounts.mount(table, args.path, type_, description=args.description or "", options=options,
                          config=config)
        return Response()

    def disable(request: Request, args: MountArgs) -> Response:
        entry = core.mounts.find(table, args.path)
        core.mounts.unmount(table, args.path, lambda p: _revoke_leases(core, p))
        if entry is not None and table == "auth":
            core.lockout.store.drop_mount(entry.accessor)
        mount = normalize_mount_path(args.path)
        core.quotas.forget_mount(f"auth/{mount}" if table == "auth" else mount)
        return Response()

    def tune_read(request: Request, args: TuneArgs) -> Response:
        entry = _find(core, table, args.path)
        return legacy(_tune_view(core, entry))

    def tune_write(request: Request, args: TuneArgs) -> Response:
        before = _find(core, table, args.path)
        after = core.mounts.tune(table, args.path, _changes(args))
        versions = [str(e.options.get("version") or "1") for e in (before, after)]
        if before.type == "kv" and versions == ["1", "2"]:
            return Response(warnings=[UPGRADE_WARNING])
        return Response()

    return [
        Path(f"{prefix}", NoArgs, {Operation.READ: listing}, synopsis=f"List {table} mounts."),
        Path(f"{prefix}/(?P<path>.+?)/tune/?", TuneArgs, {Operation.READ: tune_read, Operation.UPDATE: tune_write},
             synopsis="Read or change a mount's tuning."),
        Path(f"{prefix}/(?P<path>.+?)/?", MountArgs,
             {Operation.READ: read, Operation.UPDATE: enable, Operation.DELETE: disable},
             synopsis=f"Enable, read or disable a {table} mount."),
    ]


def _find(core: Core, table: str, path: str) -> MountEntry:
    if table == "secret" and path.strip("/").startswith("auth/"):
        return _find(core, "auth", path.strip("/")[len("auth/"):])
    entry = core.mounts.find(table, path)
    if entry is None:
        raise InvalidRequest(f"cannot fetch mount configuration for {path}: no mount found")
    return entry


def _ui_paths(core: Core) -> list[Path[Any]]:
    def listing(request: Request, args: NoArgs) -> Response:
        full = request.caller is not None
        data: dict[str, dict[str, Any]] = {"auth": {}, "secret": {}}
        for table in ("auth", "secret"):
            for entry in core.mounts.entries(table):
                if full:
                    data[table][entry.path] = entry.to_api()
                elif entry.config.listing_visibility == "unauth":
                    data[table][entry.path] = {"description": entry.description, "options": dict(entry.options),
                                               "type": entry.type}
        return Response(data=data)

    def one(request: Request, args: UiArgs) -> Response:
        if request.caller is None:
            raise PermissionDenied()
        found = core.router.match(args.path)
        if found is None or not _may_see(core, request, found[0].entry.router_path):
            raise PermissionDenied("preflight capability check returned 403, please ensure client's policies "
                                   f'grant access to path "{args.path.split("/")[0]}/"')
        entry = found[0].entry
        return Response(data={**entry.to_api(), "path": entry.router_path})

    return [
        Path("internal/ui/mounts", NoArgs, {Operation.READ: listing}, synopsis="Mounts visible to the caller."),
        Path("internal/ui/mounts/(?P<path>.+)", UiArgs, {Operation.READ: one},
             synopsis="The mount that serves a path (the CLI's KV version check)."),
    ]


def _may_see(core: Core, request: Request, mount_path: str) -> bool:
    """Vault's preflight: the token has some non-deny capability somewhere under the mount."""
    assert request.caller is not None
    acl = core.policies.acl_for(request.caller.policies)
    if acl.is_root:
        return True
    rules = [*acl.exact_paths.values(), *acl.glob_paths.values()]
    for rule in rules:
        pattern = rule.pattern.rstrip("*")
        if (pattern.startswith(mount_path) or mount_path.startswith(pattern)) and rule.capabilities - {"deny"}:
            return True
    return False


def paths(core: Core) -> list[Path[Any]]:
    return [*_table_paths(core, "secret", "mounts"), *_table_paths(core, "auth", "auth"), *_ui_paths(core)]


def _revoke_leases(core: Core, prefix: str) -> None:
    """Revoke every lease of a mount before it goes, as Vault does: if the backing system refuses one, the
    mount stays (its leases would otherwise be dropped while their credentials live on)."""
    try:
        core.expiration.revoke_prefix(prefix)
    except Exception as exc:
        raise Fault(f"internal error: failed to revoke the leases under {prefix} ({type(exc).__name__}); the "
                    f"mount was kept. Retry once the backing system answers, or revoke them with "
                    f"sys/leases/revoke-force/{prefix}") from None
