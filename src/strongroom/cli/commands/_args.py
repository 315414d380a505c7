"""Parsing `key=value` arguments the way the Vault CLI does.

  key=value     a string
  key=@FILE     the file's contents
  key=-         the value read from stdin
  -             the whole body as a JSON object from stdin (alone)
A key given twice becomes a list.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from strongroom.cli.commands._base import CliUsageError


def _value(raw: str, stdin: TextIO) -> str:
    if raw == "-":
        return stdin.read()
    if raw.startswith("@"):
        try:
            return Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliUsageError(f"cannot read {raw[1:]!r}: {exc.strerror}") from None
    return raw


def parse_kv_args(items: Sequence[str], stdin: TextIO | None = None) -> dict[str, Any]:
    source = sys.stdin if stdin is None else stdin
    if list(items) == ["-"]:
        try:
            body = json.loads(source.read() or "{}")
        except ValueError as exc:
            raise CliUsageError(f"stdin is not valid JSON: {exc}") from None
        if not isinstance(body, dict):
            raise CliUsageError("the JSON read from stdin must be an object")
        return body
    data: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise CliUsageError(f"expected key=value, got {item!r}")
        value = _value(raw, source)
        if key in data:
            previous = data[key]
            data[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[key] = value
    return data


def parse_csv_ints(text: str, flag: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise CliUsageError(f"{flag} takes a comma-separated list of version numbers, got {text!r}") from None
    if not values:
        raise CliUsageError(f"{flag} needs at least one version")
    return values
