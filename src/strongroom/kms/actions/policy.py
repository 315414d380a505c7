"""Key policies (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies) and tags (TagResource, UntagResource,
ListResourceTags).

Key policies are stored and returned, not enforced: who may do what is decided by the Strongroom policies bound
to the caller's access key, on the transit paths each action becomes (see docs/kms.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from strongroom.kms.actions.common import Result, dumps, page, paged, update_metadata
from strongroom.kms.context import Context
from strongroom.kms.errors import LimitExceededError, MalformedPolicyDocumentError, NotFoundError
from strongroom.kms.params import Params

MAX_TAGS = 50


def default_policy(account: str, partition: str) -> str:
    return orjson.dumps({
        "Version": "2012-10-17", "Id": "key-default-1",
        "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                       "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"}, "Action": "kms:*",
                       "Resource": "*"}],
    }, option=orjson.OPT_INDENT_2).decode()


def check_policy(text: str) -> None:
    """A policy must be a JSON object with a list of statements, each with an Effect."""
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise MalformedPolicyDocumentError("The new key policy is not valid JSON.") from None
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements or not all(
            isinstance(s, dict) and s.get("Effect") in ("Allow", "Deny") for s in statements):
        raise MalformedPolicyDocumentError("The new key policy contains an invalid statement.")


def _policy_name(p: Params) -> None:
    name = p.string("PolicyName", low=1, high=128, pattern=r"[\w]+")
    p.done()
    if name not in (None, "default"):
        raise NotFoundError(f"Policy {name} is not found.")


def get_key_policy(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    _policy_name(p)
    view = ctx.key(key_text or "", aliases=False)
    gateway = ctx.gateway.settings
    policy = view.metadata.get("kms:policy") or default_policy(gateway.account_id, gateway.partition)
    return {"Policy": policy, "PolicyName": "default"}


def put_key_policy(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    policy = p.string("Policy", required=True, low=1, high=131072)
    p.boolean("BypassPolicyLockoutSafetyCheck")
    _policy_name(p)
    assert policy is not None
    check_policy(policy)
    view = ctx.key(key_text or "", aliases=False)
    view.require_not_pending(ctx.arns)
    update_metadata(ctx, view, {"kms:policy": policy})
    return {}


def list_key_policies(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    p.integer("Limit", low=1, high=1000)
    p.string("Marker", low=1, high=1024)
    p.done()
    ctx.key(key_text or "", aliases=False)
    return {"PolicyNames": ["default"], "Truncated": False}


def tag_resource(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    tags = p.tags(required=True)
    p.done()
    view = ctx.key(key_text or "", aliases=False)
    view.require_not_pending(ctx.arns)
    merged = {**view.tags, **tags}
    if len(merged) > MAX_TAGS:
        raise LimitExceededError(f"A KMS key can have at most {MAX_TAGS} tags.")
    update_metadata(ctx, view, {"kms:tags": dumps(merged)})
    return {}


def untag_resource(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    keys = p.strings("TagKeys", required=True, high_items=50, high=128)
    p.done()
    view = ctx.key(key_text or "", aliases=False)
    view.require_not_pending(ctx.arns)
    remaining = {k: v for k, v in view.tags.items() if k not in set(keys)}
    update_metadata(ctx, view, {"kms:tags": dumps(remaining) if remaining else None})
    return {}


def list_resource_tags(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    limit = p.integer("Limit", low=1, high=50)
    marker = p.string("Marker", low=1, high=1024)
    p.done()
    view = ctx.key(key_text or "", aliases=False)
    tags = [{"TagKey": k, "TagValue": v} for k, v in sorted(view.tags.items())]
    chunk, next_marker = page(tags, limit, marker, lambda t: t["TagKey"], default=50)
    return paged({"Tags": chunk}, next_marker)
