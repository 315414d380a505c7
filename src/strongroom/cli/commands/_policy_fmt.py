"""Canonical formatting of ACL policies for `strongroom policy fmt`.

Output shape (as `vault policy fmt`): one `path "..." { ... }` block per rule, two-space indent,
`attr = value` with HCL/JSON literals. Comments are kept, gathered at the top of the block they were in.
"""

from __future__ import annotations

import json
from typing import Any

import hcl2

_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=True)
_COMMENTS = ("__comments__", "__inline_comments__")


class PolicyFormatError(ValueError):
    pass


def _comments(node: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in _COMMENTS:
        for item in node.get(key) or []:
            value = item.get("value") if isinstance(item, dict) else item
            out.append(f"# {str(value).strip()}")
    return out


def _literal(value: Any, indent: str) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = [f"{inner}{json.dumps(str(k))} = {_literal(v, inner)}" for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, indent) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value))


def _block(path: str, body: dict[str, Any]) -> list[str]:
    lines = [f"path {json.dumps(path)} {{"]
    lines += [f"  {c}" for c in _comments(body)]
    for key, value in body.items():
        if key not in _COMMENTS:
            lines.append(f"  {key} = {_literal(value, '  ')}")
    lines.append("}")
    return lines


def _parse(text: str) -> dict[str, Any]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise PolicyFormatError(f"invalid JSON policy: {exc}") from None
        if not isinstance(parsed, dict):
            raise PolicyFormatError("a JSON policy must be an object")
        path = parsed.get("path") or {}
        return {"path": [{k: v} for k, v in path.items()] if isinstance(path, dict) else path}
    try:
        result: dict[str, Any] = hcl2.loads(text, serialization_options=_OPTIONS)
    except Exception as exc:  # the HCL parser raises several unrelated exception types
        raise PolicyFormatError(f"failed to parse policy: {str(exc).splitlines()[0] if str(exc) else exc}") from None
    return result


def format_policy(text: str) -> str:
    """Return the canonical text of a policy; raise PolicyFormatError when it does not parse."""
    tree = _parse(text)
    unknown = sorted(k for k in tree if k not in ("path", *_COMMENTS))
    if unknown:
        raise PolicyFormatError(f"unexpected top-level keys: {', '.join(unknown)}")
    out = _comments(tree)
    blocks: list[list[str]] = []
    for entry in tree.get("path") or []:
        if not isinstance(entry, dict):
            raise PolicyFormatError("each path block needs a quoted path name")
        for path, body in entry.items():
            if not isinstance(body, dict):
                raise PolicyFormatError(f"path {path!r} must be a block")
            blocks.append(_block(str(path), body))
    if out and blocks:
        out.append("")
    out += ["\n".join(b) for b in blocks][:1]
    for block in blocks[1:]:
        out += ["", "\n".join(block)]
    return "\n".join(out) + "\n"
