"""Audit device configuration: path normalisation and option parsing for the `file` device type.

Options follow Vault's file device: `file_path` (a path, `stdout` or `discard`, required), `hmac_accessor`
(default true), `log_raw` (default false), `mode` (octal, default 0600; `0000` leaves the mode alone) and
`format` (only `json`). Other options are kept for the listing and otherwise ignored, as Vault does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from strongroom.sdk.errors import InvalidRequest

DEVICE_TYPES = ("file",)
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    path: str
    device_type: str
    description: str
    options: Mapping[str, str] = field(default_factory=dict)
    declared: bool = False
    file_path: str = ""
    hmac_accessor: bool = True
    log_raw: bool = False
    mode: int | None = 0o600


def normalize_path(path: str) -> str:
    """`file` and `file/` name the same device; the canonical form ends with `/`."""
    trimmed = path.strip("/")
    segments = trimmed.split("/")
    if not trimmed or not all(_SEGMENT.match(s) for s in segments):
        raise InvalidRequest("invalid audit device path")
    return trimmed + "/"


def parse_config(
    path: str, device_type: str, options: Mapping[str, str], description: str = "", declared: bool = False
) -> DeviceConfig:
    if device_type not in DEVICE_TYPES:
        raise InvalidRequest(f"unknown audit device type {device_type!r}")
    file_path = options.get("file_path", "")
    if not file_path:
        raise InvalidRequest("file_path is required")
    if options.get("format", "json") != "json":
        raise InvalidRequest("only the json format is supported")
    return DeviceConfig(
        path=normalize_path(path),
        device_type=device_type,
        description=description,
        options=dict(options),
        declared=declared,
        file_path=file_path,
        hmac_accessor=_boolean(options, "hmac_accessor", True),
        log_raw=_boolean(options, "log_raw", False),
        mode=_mode(options.get("mode", "0600")),
    )


def _boolean(options: Mapping[str, str], name: str, default: bool) -> bool:
    text = str(options.get(name, "")).strip()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidRequest(f"{name} must be true or false")


def _mode(text: str) -> int | None:
    try:
        mode = int(str(text), 8)
    except ValueError:
        raise InvalidRequest("mode must be an octal number") from None
    if not 0 <= mode <= 0o777:
        raise InvalidRequest("mode must be between 0000 and 0777")
    return mode or None
