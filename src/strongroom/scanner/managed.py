"""Managed-secret check: which findings are secrets that Strongroom manages (docs/scan-fingerprints.md).

The scanner never sends a found value. It sends a *wire fingerprint* per candidate,
`base64url(HMAC-SHA256(key=SHA-256("strongroom-scan-fingerprint-v1"), value))`, to `sys/scan/fingerprints`
through `strongroom.client`; the server fingerprints the values it keeps and answers with the matches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from strongroom.scanner.errors import ManagedCheckError
from strongroom.scanner.scan import Finding

if TYPE_CHECKING:
    from strongroom.client import Client

DOMAIN = b"strongroom-scan-fingerprint-v1"
_WIRE_KEY = hashlib.sha256(DOMAIN).digest()
MAX_BATCH = 1000


def wire_fingerprint(value: str) -> str:
    """The fingerprint sent for a candidate value (also what the server derives from each KV value)."""
    digest = hmac.new(_WIRE_KEY, value.strip().encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class ManagedMatch:
    """Where the server keeps a value: KV mount, path, version (0 on KV version 1) and field."""

    fingerprint: str
    mount: str
    path: str
    version: int
    field: str = ""

    @property
    def secret(self) -> str:
        return f"{self.mount.strip('/')}/{self.path.strip('/')}"

    def location(self) -> str:
        return f"{self.secret} (version {self.version})" if self.version else self.secret


@dataclass(frozen=True)
class Leak:
    """A finding whose value the server keeps at `match`."""

    finding: Finding
    match: ManagedMatch


class FingerprintLookup(Protocol):
    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        """Matches for the given wire fingerprints; unknown fingerprints are simply absent."""


class ServerLookup:
    """`sys/scan/fingerprints` through the client, in batches of MAX_BATCH."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        from strongroom.client import ClientError

        matches: list[ManagedMatch] = []
        for offset in range(0, len(fingerprints), MAX_BATCH):
            try:
                body = self._client.sys.scan_fingerprints(fingerprints[offset:offset + MAX_BATCH])
            except ClientError as exc:
                raise ManagedCheckError(f"managed-secret check failed: {exc}") from exc
            matches.extend(_parse_matches(body))
        return matches


def _parse_matches(body: object) -> list[ManagedMatch]:
    if not isinstance(body, dict):
        raise ManagedCheckError("managed-secret check: response is not a JSON object")
    raw = body.get("matches") or []
    if not isinstance(raw, list):
        raise ManagedCheckError("managed-secret check: `matches` is not a list")
    out = []
    for item in raw:
        try:
            out.append(ManagedMatch(str(item["fingerprint"]), str(item["mount"]), str(item["path"]),
                                    int(item["version"]), str(item.get("field", ""))))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ManagedCheckError(f"managed-secret check: bad match {str(item)[:200]}") from exc
    return out


def annotate(findings: Sequence[Finding], lookup: FingerprintLookup) -> tuple[list[Finding], list[Leak]]:
    """Findings with `managed` naming every place that keeps the same value, and those places."""
    by_fp: dict[str, list[int]] = {}
    for i, finding in enumerate(findings):
        by_fp.setdefault(wire_fingerprint(finding.secret), []).append(i)
    if not by_fp:
        return list(findings), []
    places: dict[int, list[ManagedMatch]] = {}
    for match in lookup.lookup(sorted(by_fp)):
        for i in by_fp.get(match.fingerprint, []):
            places.setdefault(i, []).append(match)
    result = list(findings)
    leaks: list[Leak] = []
    for i, matches in sorted(places.items()):
        result[i] = replace(result[i], managed=", ".join(sorted({m.location() for m in matches})))
        leaks.extend(Leak(result[i], m) for m in matches)
    return result, leaks


def connect(address: str, token: str) -> Client:
    """A client of the server at `address`; TLS settings (CA bundle, skip-verify) and, without `token`,
    the token come from the environment as for every other command."""
    from strongroom.client import Client
    from strongroom.client.config import ClientConfig

    config = ClientConfig.from_env()
    return Client(address, token or config.token, config.namespace, config.verify)


def check_managed(findings: Sequence[Finding], client: Client) -> tuple[list[Finding], list[Leak]]:
    return annotate(findings, ServerLookup(client))
