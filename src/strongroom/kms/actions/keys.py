"""Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion,
CancelKeyDeletion, UpdateKeyDescription, and rotation (Enable/DisableKeyRotation, GetKeyRotationStatus,
RotateKeyOnDemand, ListKeyRotations)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from strongroom.kms.actions.common import Result, dumps, page, paged, rfc, update_metadata
from strongroom.kms.actions.policy import check_policy
from strongroom.kms.context import Context
from strongroom.kms.errors import (
    DisabledError,
    InvalidStateError,
    LimitExceededError,
    UnsupportedOperationError,
    ValidationError,
    from_strongroom,
)
from strongroom.kms.keyview import ENCRYPT_DECRYPT, SPEC_TO_TRANSIT, USAGES, KeyView
from strongroom.kms.params import Params
from strongroom.sdk.errors import NotFound, StrongroomError
from strongroom.sdk.request import Operation

KEY_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
             "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
             "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519", "ML_KEM_512", "ML_KEM_768",
             "ML_KEM_1024")
KEY_USAGES = ("SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT", "KEY_ENCAPSULATION")
ORIGINS = ("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE")
DAY = 86400
MAX_ON_DEMAND = 10


def _transit(ctx: Context, operation: Operation, path: str, data: Mapping[str, Any] | None = None) -> Mapping[
        str, Any]:
    try:
        return ctx.gateway.transit(operation, path, data)
    except StrongroomError as exc:
        raise from_strongroom(exc) from None


def _spec_and_usage(p: Params) -> tuple[str, str]:
    spec = p.enum("KeySpec", KEY_SPECS)
    legacy = p.enum("CustomerMasterKeySpec", KEY_SPECS)
    usage = p.enum("KeyUsage", KEY_USAGES)
    origin = p.enum("Origin", ORIGINS) or "AWS_KMS"
    p.done()
    if spec and legacy and spec != legacy:
        raise ValidationError("KeySpec and CustomerMasterKeySpec must not differ.")
    spec = spec or legacy or "SYMMETRIC_DEFAULT"
    usage = usage or ENCRYPT_DECRYPT
    if origin != "AWS_KMS" or p.body.get("CustomKeyStoreId") or p.body.get("XksKeyId"):
        raise UnsupportedOperationError(f"Origin {origin} and custom key stores are not supported.")
    if p.body.get("MultiRegion"):
        raise UnsupportedOperationError("Multi-Region keys are not supported.")
    if spec not in SPEC_TO_TRANSIT or usage in ("KEY_AGREEMENT", "KEY_ENCAPSULATION"):
        raise UnsupportedOperationError(f"KeySpec {spec} with KeyUsage {usage} is not supported.")
    if usage not in USAGES[spec]:
        raise ValidationError(f"KeyUsage {usage} is not compatible with KeySpec {spec}.")
    return spec, usage


def create_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    policy = p.string("Policy", low=1, high=131072)
    description = p.string("Description", high=8192)
    tags = p.tags()
    p.boolean("BypassPolicyLockoutSafetyCheck")
    spec, usage = _spec_and_usage(p)
    if policy is not None:
        check_policy(policy)
    key_id = str(uuid.uuid4())
    metadata = {"kms:spec": spec, "kms:usage": usage, "kms:description": description or "",
                "kms:created": repr(ctx.clock.now()), "kms:origin": "AWS_KMS"}
    if tags:
        metadata["kms:tags"] = dumps(tags)
    if policy is not None:
        metadata["kms:policy"] = policy
    transit_type, size = SPEC_TO_TRANSIT[spec]
    data: dict[str, Any] = {"type": transit_type, "custom_metadata": metadata}
    if size:
        data["key_size"] = size
    info = _transit(ctx, Operation.UPDATE, f"keys/{key_id}", data)
    return {"KeyMetadata": KeyView.from_transit(key_id, info).metadata_json(ctx.arns, ctx.account)}


def describe_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    p.grant_tokens()
    p.done()
    assert key_text is not None
    return {"KeyMetadata": ctx.key(key_text).metadata_json(ctx.arns, ctx.account)}


def list_keys(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    limit = p.integer("Limit", low=1, high=1000)
    marker = p.string("Marker", low=1, high=1024)
    p.done()
    try:
        names = sorted(str(n) for n in ctx.gateway.transit(Operation.LIST, "keys/").get("keys") or [])
    except NotFound:
        names = []
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    chunk, next_marker = page(names, limit, marker, str)
    return paged({"Keys": [{"KeyId": n, "KeyArn": ctx.key_arn(n)} for n in chunk]}, next_marker)


def _key_only(body: Mapping[str, Any]) -> tuple[Params, str]:
    p = Params(body)
    key_text = p.key_id()
    return p, key_text or ""


def enable_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    _transit(ctx, Operation.UPDATE, f"keys/{view.key_id}/config", {"disabled": False})
    return {}


def disable_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    _transit(ctx, Operation.UPDATE, f"keys/{view.key_id}/config", {"disabled": True})
    return {}


def schedule_key_deletion(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    days = p.integer("PendingWindowInDays", low=1, high=365)
    p.done()
    days = 30 if days is None else days
    if not 7 <= days <= 30:
        raise ValidationError(f"1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to "
                              "satisfy constraint: Member must have value between 7 and 30")
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    deadline = float(int(ctx.clock.now()) + days * DAY)
    update_metadata(ctx, view, {"kms:pending_days": str(days)}, {"disabled": True, "delete_after": rfc(deadline)})
    return {"KeyId": ctx.key_arn(view.key_id), "DeletionDate": deadline, "KeyState": "PendingDeletion",
            "PendingWindowInDays": days}


def cancel_key_deletion(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = ctx.key(key_text, aliases=False)
    if view.state != "PendingDeletion":
        raise InvalidStateError(f"{ctx.key_arn(view.key_id)} is not pending deletion.")
    update_metadata(ctx, view, {"kms:pending_days": None}, {"disabled": True, "delete_after": ""})
    return {"KeyId": ctx.key_arn(view.key_id)}


def update_key_description(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    description = p.string("Description", required=True, high=8192)
    p.done()
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    update_metadata(ctx, view, {"kms:description": description or ""})
    return {}


def _rotatable(ctx: Context, key_text: str, *, enabled: bool = True) -> KeyView:
    view = ctx.key(key_text, aliases=False)
    view.require_not_pending(ctx.arns)
    if enabled and view.state == "Disabled":
        raise DisabledError(f"{ctx.key_arn(view.key_id)} is disabled.")
    if not view.symmetric:
        raise UnsupportedOperationError(f"{ctx.key_arn(view.key_id)} does not support automatic rotation; only "
                                        "symmetric encryption keys rotate.")
    return view


def enable_key_rotation(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    days = p.integer("RotationPeriodInDays", low=90, high=2560)
    p.done()
    view = _rotatable(ctx, key_text)
    _transit(ctx, Operation.UPDATE, f"keys/{view.key_id}/config", {"auto_rotate_period": (days or 365) * DAY})
    return {}


def disable_key_rotation(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = _rotatable(ctx, key_text)
    _transit(ctx, Operation.UPDATE, f"keys/{view.key_id}/config", {"auto_rotate_period": 0})
    return {}


def get_key_rotation_status(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = _rotatable(ctx, key_text, enabled=False)
    result: Result = {"KeyRotationEnabled": view.auto_rotate_period > 0, "KeyId": ctx.key_arn(view.key_id)}
    if view.auto_rotate_period:
        result["RotationPeriodInDays"] = view.auto_rotate_period // DAY
        latest = view.versions.get(view.latest_version, view.created)
        result["NextRotationDate"] = latest + view.auto_rotate_period
    return result


def rotate_key_on_demand(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    p.done()
    view = _rotatable(ctx, key_text)
    done = view.on_demand
    if len(done) >= MAX_ON_DEMAND:
        raise LimitExceededError(f"{ctx.key_arn(view.key_id)} has reached the limit of {MAX_ON_DEMAND} on-demand "
                                 "rotations.")
    info = _transit(ctx, Operation.UPDATE, f"keys/{view.key_id}/rotate")
    rotated = KeyView.from_transit(view.key_id, info)
    update_metadata(ctx, rotated, {"kms:on_demand": dumps([*done, rotated.latest_version])})
    return {"KeyId": ctx.key_arn(view.key_id)}


def list_key_rotations(ctx: Context, body: Mapping[str, Any]) -> Result:
    p, key_text = _key_only(body)
    limit = p.integer("Limit", low=1, high=1000)
    marker = p.string("Marker", low=1, high=1024)
    p.enum("IncludeKeyMaterial", ("ALL_KEY_MATERIAL", "ROTATIONS_ONLY"))
    p.done()
    view = _rotatable(ctx, key_text, enabled=False)
    rotations = [{"KeyId": ctx.key_arn(view.key_id), "RotationDate": created,
                  "RotationType": view.rotation_type(number), "KeyMaterialId": f"{number:064x}"}
                 for number, created in sorted(view.versions.items()) if number > 1]
    chunk, next_marker = page(rotations, limit, marker, lambda r: str(r["KeyMaterialId"]))
    return paged({"Rotations": chunk}, next_marker)
