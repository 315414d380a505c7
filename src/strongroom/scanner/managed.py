"""Managed-secret check: which findings are secrets that Strongroom manages (docs/scan-fingerprints.md).

The scanner never sends a found value. It sends a *wire fingerprint* per candidate,
`base64url(HMAC-SHA256(key=SHA-256("strongroom-scan-fingerprint-v1"), value))`, and the server, which keeps
only `HMAC(scan_key, wire fingerprint)` for each KV value version, answers with the matches.

The HTTP endpoint (`POST /v1/sys/scan/fingerprints`) is the server team's; this module is the client side
behind `FingerprintLookup`, so tests and other transports can stand in for it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import httpx

from strongroom.scanner.errors import ManagedCheckError
from strongroom.scanner.scan import Finding

DOMAIN = b"strongroom-scan-fingerprint-v1"
_WIRE_KEY = hashlib.sha256(DOMAIN).digest()
ENDPOINT = "/v1/sys/scan/fingerprints"
MAX_BATCH = 1000


def wire_fingerprint(value: str) -> str:
    """The fingerprint sent for a candidate value (also what the server derives from each KV value)."""
    digest = hmac.new(_WIRE_KEY, value.strip().encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class ManagedMatch:
    fingerprint: str
    mount: str
    path: str
    version: int

    def location(self) -> str:
        return f"{self.mount.rstrip('/')}/{self.path.lstrip('/')} (version {self.version})"


class FingerprintLookup(Protocol):
    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        """Matches for the given wire fingerprints; unknown fingerprints are simply absent."""


class HttpFingerprintLookup:
    """POST {"fingerprints": [...]} to the server; the response's `data.matches` (or `matches`) lists hits."""

    def __init__(self, address: str, token: str, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._client = httpx.Client(base_url=address.rstrip("/"), timeout=timeout, transport=transport,
                                    headers={"X-Vault-Token": token} if token else {})

    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        matches: list[ManagedMatch] = []
        for offset in range(0, len(fingerprints), MAX_BATCH):
            batch = list(fingerprints[offset:offset + MAX_BATCH])
            try:
                response = self._client.post(ENDPOINT, json={"fingerprints": batch})
                response.raise_for_status()
                body = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise ManagedCheckError(f"managed-secret check failed: {exc}") from exc
            matches.extend(_parse_matches(body))
        return matches


def _parse_matches(body: object) -> list[ManagedMatch]:
    if not isinstance(body, dict):
        raise ManagedCheckError("managed-secret check: response is not a JSON object")
    data = body.get("data") if isinstance(body.get("data"), dict) else body
    assert isinstance(data, dict)
    raw = data.get("matches") or []
    if not isinstance(raw, list):
        raise ManagedCheckError("managed-secret check: `matches` is not a list")
    out = []
    for item in raw:
        try:
            out.append(ManagedMatch(str(item["fingerprint"]), str(item["mount"]), str(item["path"]),
                                    int(item["version"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise ManagedCheckError(f"managed-secret check: bad match {item!r}") from exc
    return out


def annotate(findings: Sequence[Finding], lookup: FingerprintLookup) -> list[Finding]:
    """Findings with `managed` set to the KV location that holds the same value, when there is one."""
    by_fp: dict[str, list[int]] = {}
    for i, finding in enumerate(findings):
        by_fp.setdefault(wire_fingerprint(finding.secret), []).append(i)
    if not by_fp:
        return list(findings)
    result = list(findings)
    for match in lookup.lookup(sorted(by_fp)):
        for i in by_fp.get(match.fingerprint, []):
            result[i] = replace(result[i], managed=match.location())
    return result


def check_managed(findings: Sequence[Finding], address: str, token: str) -> list[Finding]:
    return annotate(findings, HttpFingerprintLookup(address, token))
