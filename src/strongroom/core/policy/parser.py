"""Parse ACL policy text (HCL or JSON) into a `Policy`.

Contract:
- `parse_policy(name, text)` accepts Vault's HCL form (`path "secret/*" { capabilities = ["read"] }`, any
  number of blocks, the same pattern more than once) and the JSON form (`{"path": {"secret/*": {...}}}`, also
  with a list of such objects). Text whose first non-blank character is `{` is JSON; anything else is HCL.
- Every failure raises `PolicyParseError` whose message reads like Vault's, e.g.
  `failed to parse policy: path "x": invalid capability "bogus"`. Nothing is partially accepted.
- Supported block keys: capabilities, policy (legacy deny|read|write|sudo), allowed_parameters,
  denied_parameters, required_parameters, min_wrapping_ttl, max_wrapping_ttl, comment. Keys Vault knows but
  Strongroom does not enforce (expiration, mfa_methods, control_group, ...) are rejected rather than ignored,
  because ignoring them would grant more than the author wrote.
- The name is normalised with `normalize_name`; the text is kept verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import hcl2

from strongroom.core.policy.errors import PolicyParseError
from strongroom.core.policy.model import (
    CAPABILITIES,
    LEGACY_POLICIES,
    Parameters,
    PathRule,
    Policy,
    normalize_name,
)
from strongroom.sdk.duration import parse_duration
from strongroom.sdk.errors import InvalidRequest

__all__ = ["parse_policy"]

_TOP_KEYS = frozenset({"name", "path"})
_RULE_KEYS = frozenset(
    {
        "capabilities",
        "policy",
        "allowed_parameters",
        "denied_parameters",
        "required_parameters",
        "min_wrapping_ttl",
        "max_wrapping_ttl",
        "comment",
    }
)
_UNSUPPORTED_KEYS = frozenset(
    {"expiration", "mfa_methods", "control_group", "pagination_limit", "list_scan_response_keys_filter_path"}
)
_BLOCK = "__is_block__"  # python-hcl2 marks block bodies with this key when explicit_blocks is on
_HCL_OPTIONS = hcl2.SerializationOptions(
    with_comments=False, explicit_blocks=True, strip_string_quotes=True, preserve_heredocs=False
)
_TEMPLATE = re.compile(r"\{\{\s*identity\.[^{}\s]+\s*\}\}")

Body = Mapping[str, Any]


def parse_policy(name: str, text: str) -> Policy:
    """Parse `text` into a Policy named `normalize_name(name)`; raise PolicyParseError on any defect."""
    if not text.strip():
        raise PolicyParseError("policy text is empty")
    is_json = text.lstrip().startswith(("{", "["))
    root = _load_json(text) if is_json else _load_hcl(text)
    for key in root:
        if key not in _TOP_KEYS:
            raise PolicyParseError(f"invalid key {_quote(str(key))}")
    if "name" in root and not isinstance(root["name"], str):
        raise PolicyParseError('"name" must be a string')
    blocks = _path_blocks(root.get("path"), hcl=not is_json)
    return Policy(normalize_name(name), text, tuple(_parse_rule(path, body) for path, body in blocks))


def _load_json(text: str) -> dict[str, Any]:
    try:
        root = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PolicyParseError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise PolicyParseError("invalid JSON: nested too deeply") from None
    if not isinstance(root, dict):
        raise PolicyParseError("does not contain a root object")
    return root


def _load_hcl(text: str) -> dict[str, Any]:
    try:
        root: dict[str, Any] = hcl2.loads(text, serialization_options=_HCL_OPTIONS)
    except Exception as exc:  # lark raises several unrelated types; all mean "not valid HCL"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PolicyParseError(f"invalid HCL: {first_line[:200]}") from None
    return root


def _path_blocks(value: object, *, hcl: bool) -> list[tuple[str, Body]]:
    """The (pattern, body) pairs in source order, from any of the shapes HCL or JSON produce."""
    if value is None:
        return []
    if isinstance(value, Mapping):  # JSON form, or HCL `path = { "x" = {...} }`
        return [(str(path), _body(path, body)) for path, body in value.items()]
    if not isinstance(value, list):
        raise PolicyParseError('"path" must be a block or an object')
    pairs: list[tuple[str, Body]] = []
    for item in value:
        if hcl:
            pairs.append(_labelled_block(item))
        elif isinstance(item, Mapping):
            pairs.extend((str(path), _body(path, body)) for path, body in item.items())
        else:
            raise PolicyParseError('"path" entries must be objects')
    return pairs


def _labelled_block(item: object) -> tuple[str, Body]:
    """A python-hcl2 block `{"<label>": {..., "__is_block__": True}}`; anything else has the wrong labels."""
    if isinstance(item, Mapping) and len(item) == 1:
        ((label, body),) = item.items()
        if isinstance(body, Mapping) and body.get(_BLOCK) is True:
            return str(label), _body(label, body)
    raise PolicyParseError('a path block must have exactly one label: path "<pattern>" { ... }')


def _body(path: object, body: object) -> Body:
    # HCL1 accepted `key { ... }` for `key = { ... }`; both arrive here as a dict or a one-element list.
    if isinstance(body, list) and len(body) == 1:
        body = body[0]
    if not isinstance(body, Mapping):
        raise PolicyParseError(f"path {_quote(str(path))}: the rule must be an object")
    return {key: value for key, value in body.items() if key != _BLOCK}


def _parse_rule(raw_path: str, body: Body) -> PathRule:
    path = raw_path[1:] if raw_path.startswith("/") else raw_path
    where = f"path {_quote(raw_path)}"
    _check_rule_keys(where, body)
    _check_pattern(where, path)
    min_ttl = _duration(where, body, "min_wrapping_ttl")
    max_ttl = _duration(where, body, "max_wrapping_ttl")
    if min_ttl and max_ttl and max_ttl < min_ttl:
        raise PolicyParseError(f"{where}: max_wrapping_ttl cannot be less than min_wrapping_ttl")
    return PathRule(
        path=path,
        capabilities=_capabilities(where, body),
        allowed_parameters=_parameters(where, body, "allowed_parameters"),
        denied_parameters=_parameters(where, body, "denied_parameters"),
        required_parameters=_strings(where, body, "required_parameters"),
        min_wrapping_ttl=min_ttl,
        max_wrapping_ttl=max_ttl,
    )


def _quote(text: str) -> str:
    """Go's %q for the common case, so messages match Vault's."""
    return json.dumps(text, ensure_ascii=False)


def _check_rule_keys(where: str, body: Body) -> None:
    for key in body:
        if key in _UNSUPPORTED_KEYS:
            raise PolicyParseError(f"{where}: {_quote(key)} is not supported by Strongroom")
        if key not in _RULE_KEYS:
            raise PolicyParseError(f"{where}: invalid key {_quote(str(key))}")


def _check_pattern(where: str, path: str) -> None:
    if "+*" in path:
        raise PolicyParseError(f"{where}: invalid use of wildcards ('+*' is forbidden)")
    leftover = _TEMPLATE.sub("", path)
    if "{{" in leftover or "}}" in leftover:
        raise PolicyParseError(f"{where}: failed to validate policy templating")


def _capabilities(where: str, body: Body) -> frozenset[str]:
    named = list(_strings(where, body, "capabilities", single_ok=True))
    legacy = body.get("policy")
    if legacy is not None:
        if not isinstance(legacy, str) or legacy not in LEGACY_POLICIES:
            raise PolicyParseError(f"{where}: invalid policy {_quote(str(legacy))}")
        named.extend(LEGACY_POLICIES[legacy])
    for capability in named:
        if capability not in CAPABILITIES:
            raise PolicyParseError(f"{where}: invalid capability {_quote(capability)}")
    # Why: deny discards every other capability of the block, so a merged rule can never both deny and allow.
    return frozenset({"deny"}) if "deny" in named else frozenset(named)


def _strings(where: str, body: Body, key: str, *, single_ok: bool = False) -> tuple[str, ...]:
    value = body.get(key)
    if value is None:
        return ()
    if single_ok and isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyParseError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _parameters(where: str, body: Body, key: str) -> Parameters | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
        value = {k: v for k, v in value[0].items() if k != _BLOCK}
    if not isinstance(value, Mapping):
        raise PolicyParseError(f"{where}: {key} must be an object of parameter name to list of values")
    parameters: dict[str, tuple[Any, ...]] = {}
    for name, values in value.items():
        if not isinstance(values, list):
            raise PolicyParseError(f"{where}: {key} {_quote(str(name))} must be a list of values")
        # Why lower-case: Vault compares request parameter names case-insensitively against these keys.
        parameters[str(name).lower()] = tuple(_freeze(item) for item in values)
    return MappingProxyType(parameters)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items() if k != _BLOCK})
    return value


def _duration(where: str, body: Body, key: str) -> int:
    value = body.get(key)
    if value is None:
        return 0
    try:
        seconds = parse_duration(value, key)
    except InvalidRequest as exc:
        raise PolicyParseError(f"{where}: error parsing {key}: {exc.message}") from None
    if seconds < 0:
        raise PolicyParseError(f"{where}: error parsing {key}: must not be negative")
    return seconds
