"""Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. Each alias is a record in the KV v1 alias
mount (`<alias mount>/<name with / as ~>`: {"target", "created", "updated"}), read and written through the core
like any secret. An alias whose key has been deleted is not listed and names no key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.kms import identifiers
from strongroom.kms.actions.common import Result, page, paged
from strongroom.kms.context import Context
from strongroom.kms.errors import AlreadyExistsError, NotFoundError, ValidationError, from_strongroom
from strongroom.kms.keyview import KeyView
from strongroom.kms.params import Params
from strongroom.sdk.errors import NotFound, StrongroomError
from strongroom.sdk.request import Operation

ALIAS_PATTERN = r"^[a-zA-Z0-9:/_-]+$"


def _store(ctx: Context, operation: Operation, name: str, data: Mapping[str, Any] | None = None) -> Mapping[str,
                                                                                                          Any]:
    try:
        return ctx.gateway.alias_store(operation, name, data)
    except StrongroomError as exc:
        raise from_strongroom(exc) from None


def _record(ctx: Context, alias: str) -> Mapping[str, Any] | None:
    try:
        return ctx.gateway.alias_store(Operation.READ, identifiers.alias_storage_name(alias))
    except NotFound:
        return None
    except StrongroomError as exc:
        raise from_strongroom(exc) from None


def _args(body: Mapping[str, Any], target: bool) -> tuple[str, str]:
    p = Params(body)
    alias = p.string("AliasName", required=True, low=1, high=256, pattern=ALIAS_PATTERN)
    key_text = p.key_id("TargetKeyId") if target else ""
    p.done()
    return alias or "", key_text or ""


def _target(ctx: Context, key_text: str) -> KeyView:
    if key_text.startswith("alias/") or ":alias/" in key_text:
        raise ValidationError("TargetKeyId must be a key ID or key ARN, not an alias.")
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    return view


def create_alias(ctx: Context, body: Mapping[str, Any]) -> Result:
    alias, key_text = _args(body, True)
    identifiers.check_alias_name(alias)
    view = _target(ctx, key_text)
    existing = _record(ctx, alias)
    if existing is not None and ctx.find(str(existing.get("target"))) is not None:
        raise AlreadyExistsError(f"An alias with the name {ctx.arns.alias(alias)} already exists")
    now = ctx.clock.now()
    _store(ctx, Operation.UPDATE, identifiers.alias_storage_name(alias),
           {"target": view.key_id, "created": now, "updated": now})
    return {}


def update_alias(ctx: Context, body: Mapping[str, Any]) -> Result:
    alias, key_text = _args(body, True)
    identifiers.check_alias_name(alias)
    existing = _record(ctx, alias)
    if existing is None:
        raise NotFoundError(f"Alias {ctx.arns.alias(alias)} is not found.")
    view = _target(ctx, key_text)
    old = ctx.find(str(existing.get("target")))
    if old is not None and (old.usage != view.usage or old.symmetric != view.symmetric or old.hmac != view.hmac):
        raise ValidationError("The new target key must have the same key type and key usage as the current one.")
    _store(ctx, Operation.UPDATE, identifiers.alias_storage_name(alias),
           {"target": view.key_id, "created": existing.get("created", ctx.clock.now()), "updated": ctx.clock.now()})
    return {}


def delete_alias(ctx: Context, body: Mapping[str, Any]) -> Result:
    alias, _ = _args(body, False)
    if _record(ctx, alias) is None:
        raise NotFoundError(f"Alias {ctx.arns.alias(alias)} is not found.")
    _store(ctx, Operation.DELETE, identifiers.alias_storage_name(alias))
    return {}


def list_aliases(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id(required=False)
    limit = p.integer("Limit", low=1, high=100)
    marker = p.string("Marker", low=1, high=1024)
    p.done()
    wanted = ctx.key(key_text, aliases=False).key_id if key_text else None
    try:
        names = sorted(str(n) for n in ctx.gateway.alias_store(Operation.LIST, "").get("keys") or [])
    except NotFound:
        names = []
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    exists: dict[str, bool] = {}
    entries: list[dict[str, Any]] = []
    for name in names:
        alias = identifiers.alias_from_storage(name)
        record = _record(ctx, alias)
        target = str((record or {}).get("target") or "")
        if not target or (wanted is not None and target != wanted):
            continue
        if target not in exists:
            exists[target] = ctx.find(target) is not None
        if exists[target]:
            entries.append({"AliasName": alias, "AliasArn": ctx.arns.alias(alias), "TargetKeyId": target,
                            "CreationDate": float((record or {}).get("created") or 0),
                            "LastUpdatedDate": float((record or {}).get("updated") or 0)})
    chunk, next_marker = page(entries, limit, marker, lambda e: str(e["AliasName"]))
    return paged({"Aliases": chunk}, next_marker)
