"""Decoders that expose secrets hidden in base64, hex or percent-encoded text, and Kubernetes Secrets.

Bounded work: at most `MAX_CANDIDATES` encoded runs and `MAX_DECODED` bytes per buffer, and the caller
bounds the nesting depth. Decoded text is only kept when it is printable, so images and compressed data
are skipped.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import re2

MAX_CANDIDATES = 256
MAX_DECODED = 1 << 20

# Base64 of ASCII text starts every 4-character group with A-Z or a-f (the top bit of each byte is 0), and
# hex of ASCII text pairs a 2-7 with a hex digit; requiring that keeps identifiers and hashes out cheaply.
CANDIDATE_PATTERN = (
    r"((?:[A-Za-f][A-Za-z0-9+/_\-]{3}){5,}(?:[A-Za-f][A-Za-z0-9+/_\-]{1,2})?={0,2})"
    r"|((?:[2-7][0-9a-fA-F]){10,})"
    r"|([^\s%'\"`]*(?:%[0-9A-Fa-f]{2}[^\s%'\"`]*){3,})"
)
# A cheap gate for the engine: some run worth decoding may be present.
# (A 20-character run of standard base64 letters: URL-safe runs long enough to hide a secret contain one too,
# and so does every hex run, its digits being base64 letters. A percent escape of printable ASCII, tab, LF or
# CR: decoded text is kept only when printable, and a run whose escapes all decode to other bytes differs from
# its raw form only in bytes no rule matches. Each alternative costs the engine speed: the code's `%s` and
# `%d` made `%[0-9A-Fa-f]{2}` cost Hyperscan as much as all the rules together.)
CANDIDATE_MARKER = r"[A-Za-z0-9+/]{20}|%[2-7][0-9A-Fa-f]|%0[9ADad]"
KUBERNETES_MARKER = r"kind\s*\x22?\s*:\s*\x22?Secret"
_CANDIDATES = re2.compile(CANDIDATE_PATTERN.encode())
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\r\n"


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the span of its encoded form in the original buffer."""

    start: int
    end: int
    encoding: str
    text: bytes


def _printable(raw: bytes) -> bool:
    return len(raw) >= 8 and len(raw.translate(None, _PRINTABLE)) <= len(raw) // 50


def _decode_one(kind: str, token: bytes) -> bytes | None:
    try:
        if kind == "b64":
            stripped = token.rstrip(b"=")
            if len(stripped) % 4 == 1:
                return None
            padded = stripped + b"=" * (-len(stripped) % 4)
            if b"-" in padded or b"_" in padded:
                return base64.urlsafe_b64decode(padded)
            return base64.b64decode(padded, validate=True)
        if kind == "hex":
            return binascii.unhexlify(token)
        text = urllib.parse.unquote_to_bytes(token)
        return text if text != token else None
    except (binascii.Error, ValueError):
        return None


def encoded_runs(data: bytes) -> Iterator[Decoded]:
    """Printable decodings of the encoded runs in `data`, within the work bounds."""
    budget = MAX_DECODED
    for count, m in enumerate(_CANDIDATES.finditer(data)):
        if count >= MAX_CANDIDATES or budget <= 0:
            return
        token = m.group(0)
        kind = "b64" if m.start(1) >= 0 else "hex" if m.start(2) >= 0 else "pct"
        raw = _decode_one(kind, token)
        if raw is None or not _printable(raw):
            continue
        budget -= len(raw)
        yield Decoded(m.start(), m.end(), {"b64": "base64", "pct": "percent"}.get(kind, kind), raw)


def is_kubernetes_secret(data: bytes) -> bool:
    return _KUBERNETES.search(data) is not None


_KUBERNETES = re2.compile(KUBERNETES_MARKER.encode())


def kubernetes_secret_values(data: bytes) -> Iterator[tuple[str, bytes, int, int]]:
    """(key, decoded value, start, end) for each `data`/`stringData` entry of Secret manifests in `data`."""
    import yaml  # here: a scan that meets no Secret manifest does not pay for importing it

    try:
        documents = list(yaml.safe_load_all(data))
    except yaml.YAMLError:
        return
    for doc in documents:
        if not isinstance(doc, dict) or doc.get("kind") != "Secret":
            continue
        yield from _entries(data, doc.get("data"), encoded=True)
        yield from _entries(data, doc.get("stringData"), encoded=False)


def _entries(data: bytes, section: Any, *, encoded: bool) -> Iterator[tuple[str, bytes, int, int]]:
    if not isinstance(section, dict):
        return
    for key, value in section.items():
        if not isinstance(value, str) or not value:
            continue
        raw = value.encode()
        start = data.find(raw)
        if start < 0:
            continue
        if encoded:
            try:
                decoded = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                continue
        else:
            decoded = raw
        yield str(key), decoded, start, start + len(raw)
