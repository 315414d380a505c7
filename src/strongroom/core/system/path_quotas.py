"""sys/quotas/config and sys/quotas/rate-limit/<name> (create, update, read, delete, list), as in Vault."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from strongroom.core.quotas.model import RateLimitQuota
from strongroom.core.system.common import NoArgs
from strongroom.crypto.random import new_uuid
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core

# Auth method types that resolve a login's role for role quotas.
ROLE_TYPES = ("approle",)


@dataclass(frozen=True)
class ConfigArgs:
    enable_rate_limit_response_headers: bool | None = arg("Add X-Ratelimit-* headers to responses.", None)
    enable_rate_limit_audit_logging: bool | None = arg("Audit requests a rate-limit quota refused.", None)
    rate_limit_exempt_paths: list[str] | None = arg("Paths no rate-limit quota applies to.", None)


@dataclass(frozen=True)
class QuotaArgs:
    name: str = arg("Name of the quota.")
    path: str | None = arg('Mount, or path below a mount (a trailing "*" matches a prefix); "" is global.', None)
    rate: float | None = arg("Requests allowed per interval, per client address; must be positive.", None)
    interval: Any = arg('Length of the window (default "1s").', None)
    block_interval: Any = arg("How long a client that exceeded the rate is refused.", None)
    role: str | None = arg("On an auth mount with roles: limit only logins with this role.", None)
    inheritable: bool | None = arg("Accepted (namespaces are not supported; every quota is in the root).", None)


def _place(core: Core, path: str) -> tuple[str, str, str]:
    """(normalised path, mount router path, suffix below the mount) for a quota's path."""
    path = path.strip().lstrip("/")
    if not path:
        return "", "", ""
    found = core.router.match(path)
    if found is None:
        raise InvalidRequest(f'invalid mount path "{path}"')
    mounted, rest = found
    return path, mounted.entry.router_path, rest.rstrip("/")


def _build(core: Core, args: QuotaArgs, old: RateLimitQuota | None) -> RateLimitQuota:
    rate = args.rate if args.rate is not None else (old.rate if old else 0.0)
    if rate <= 0:
        raise InvalidRequest(f"invalid rate: {rate}; rate must be positive")
    interval = parse_duration(args.interval, "interval") if args.interval not in (None, "") else (
        old.interval if old else 1)
    block = parse_duration(args.block_interval, "block_interval") if args.block_interval not in (None, "") else (
        old.block_interval if old else 0)
    if interval <= 0 or block < 0:
        raise InvalidRequest("interval must be positive and block_interval may not be negative")
    path, mount, suffix = _place(core, args.path if args.path is not None else (old.path if old else ""))
    role = args.role if args.role is not None else (old.role if old else "")
    if role:
        mounted = core.router.get(mount)
        if mounted is None or mounted.entry.table != "auth" or mounted.entry.type not in ROLE_TYPES or suffix:
            raise InvalidRequest("role can only be set on the path of an auth mount with roles (approle)")
    inheritable = args.inheritable if args.inheritable is not None else (old.inheritable if old else not path)
    return RateLimitQuota(name=args.name, path=path, mount=mount, suffix=suffix, rate=float(rate),
                          interval=interval, block_interval=block, role=role, inheritable=inheritable,
                          id=new_uuid())


def _config_paths(core: Core) -> list[Path[Any]]:
    quotas = core.quotas

    def read_config(request: Request, args: NoArgs) -> Response:
        return Response(data=quotas.config.to_api())

    def write_config(request: Request, args: ConfigArgs) -> Response:
        changes = {k: v for k, v in vars(args).items() if v is not None}
        if "rate_limit_exempt_paths" in changes:
            changes["rate_limit_exempt_paths"] = tuple(p.strip().lstrip("/") for p in changes[
                "rate_limit_exempt_paths"] if p.strip())
        quotas.set_config(replace(quotas.config, **changes))
        return Response()

    return [Path("quotas/config", ConfigArgs, {Operation.READ: read_config, Operation.UPDATE: write_config},
                 synopsis="Configure rate-limit quotas: response headers, audit of refusals, exempt paths.")]


def _rule_paths(core: Core) -> list[Path[Any]]:
    quotas = core.quotas

    def listing(request: Request, args: NoArgs) -> Response:
        names = sorted(quotas.names())
        if not names:
            raise NotFound()
        return Response(data={"keys": names})

    def read(request: Request, args: QuotaArgs) -> Response:
        rule = quotas.get(args.name)
        if rule is None:
            raise NotFound()
        return Response(data=rule.to_api())

    def write(request: Request, args: QuotaArgs) -> Response:
        rule = _build(core, args, quotas.get(args.name))
        other = quotas.conflict(rule)
        if other is not None:
            raise InvalidRequest(f'quota rule with similar properties exists under the name "{other.name}"')
        quotas.put(rule)
        return Response()

    def delete(request: Request, args: QuotaArgs) -> Response:
        quotas.delete(args.name)
        return Response()

    return [
        Path("quotas/rate-limit/?", NoArgs, {Operation.LIST: listing}, synopsis="List rate-limit quotas."),
        Path("quotas/rate-limit/(?P<name>[^/]+)", QuotaArgs,
             {Operation.READ: read, Operation.CREATE: write, Operation.UPDATE: write, Operation.DELETE: delete},
             synopsis="Create, update, read or delete a rate-limit quota."),
    ]


def paths(core: Core) -> list[Path[Any]]:
    return [*_config_paths(core), *_rule_paths(core)]
