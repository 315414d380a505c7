"""Rendering in the Vault CLI's styles: `table` (Key/Value columns), `json`, `yaml`, and `-field`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from strongroom.cli.commands._base import EXIT_OK, EXIT_USAGE, error
from strongroom.client import Secret

_GLUE = "    "


def go_duration(seconds: int) -> str:
    """Seconds as a Go-style duration trimmed like Vault's (`768h`, `1h30m`, `45s`)."""
    if seconds <= 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or (hours and secs) else "")
    return text + (f"{secs}s" if secs or not text else "")


def fmt_value(value: Any) -> str:
    """Go's `%v` look, which Vault's tables use: `[a b]`, `map[k:v]`, `<nil>`, `true`."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + " ".join(fmt_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{fmt_value(v)}" for k, v in sorted(value.items())) + "]"
    return str(value)


def columns(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    table = [list(headers), ["-" * len(h) for h in headers], *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = [_GLUE.join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    return "\n".join(lines)


def kv_table(rows: Iterable[tuple[str, Any]]) -> str:
    """Key/Value rows; an empty value shows as `n/a`, as in Vault's tables."""
    return columns(("Key", "Value"), [(k, fmt_value(v) if v != "" else "n/a") for k, v in rows])


def dump(args: argparse.Namespace, obj: Any) -> None:
    if args.format == "yaml":
        sys.stdout.write(yaml.safe_dump(obj, sort_keys=True, default_flow_style=False))
    else:
        print(json.dumps(obj, indent=2, sort_keys=True))


def print_field(fields: Mapping[str, Any], name: str) -> int:
    """Print one field raw (strings as is, anything else as JSON); exit 1 when it is absent."""
    if name not in fields:
        error(f'Field "{name}" not present in the output. Available: {", ".join(sorted(fields)) or "none"}')
        return EXIT_USAGE
    value = fields[name]
    print(value if isinstance(value, str) else json.dumps(value))
    return EXIT_OK


def print_warnings(warnings: Sequence[str]) -> None:
    if warnings:
        error("WARNING! The server returned these warnings:\n\n" + "\n".join(f"  * {w}" for w in warnings) + "\n")


def auth_rows(secret: Secret) -> list[tuple[str, Any]]:
    auth = secret.auth
    if auth is None:
        return []
    rows: list[tuple[str, Any]] = [
        ("token", auth.client_token),
        ("token_accessor", auth.accessor),
        ("token_duration", go_duration(auth.lease_duration) if auth.lease_duration else "∞"),
        ("token_renewable", auth.renewable),
        ("token_policies", json.dumps(list(auth.token_policies))),
        ("identity_policies", json.dumps(list(auth.identity_policies))),
        ("policies", json.dumps(list(auth.policies))),
    ]
    rows += [(f"token_meta_{k}", v) for k, v in sorted(auth.metadata.items())]
    return rows


def secret_rows(secret: Secret, data: Mapping[str, Any] | None = None) -> list[tuple[str, Any]]:
    """Rows as `vault read` shows them: lease info, auth block, then the data keys in order."""
    rows: list[tuple[str, Any]] = []
    if secret.lease_duration > 0:
        if secret.lease_id:
            rows += [
                ("lease_id", secret.lease_id),
                ("lease_duration", go_duration(secret.lease_duration)),
                ("lease_renewable", secret.renewable),
            ]
        else:
            rows.append(("refresh_interval", go_duration(secret.lease_duration)))
    rows += auth_rows(secret)
    body = secret.data if data is None else data
    rows += sorted((body or {}).items())
    return rows


def print_secret(args: argparse.Namespace, secret: Secret, data: Mapping[str, Any] | None = None) -> int:
    """Print a whole envelope; `data` overrides which mapping the table and -field read (e.g. KV v2)."""
    rows = secret_rows(secret, data)
    if args.field:
        fields = dict(rows)
        if secret.auth is not None:
            fields.setdefault("token", secret.auth.client_token)
        return print_field(fields, args.field)
    if args.format != "table":
        dump(args, secret.raw)
        return EXIT_OK
    print_warnings(secret.warnings)
    if rows:
        print(kv_table(rows))
    return EXIT_OK


def print_mapping(args: argparse.Namespace, data: Mapping[str, Any], raw: Any = None) -> int:
    """A flat mapping as Key/Value rows (sorted); json/yaml print `raw` when given, else the mapping."""
    if args.field:
        return print_field(data, args.field)
    if args.format != "table":
        dump(args, dict(data) if raw is None else raw)
        return EXIT_OK
    print(kv_table(sorted(data.items())))
    return EXIT_OK


def print_list(args: argparse.Namespace, keys: Sequence[str]) -> int:
    if args.format != "table":
        dump(args, list(keys))
        return EXIT_OK
    print(columns(("Keys",), [(k,) for k in keys]))
    return EXIT_OK
