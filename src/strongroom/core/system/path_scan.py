"""sys/scan/fingerprints: which wire fingerprints sent by the leak scanner are values stored in a mount.

The scanner sends `F(candidate)` (strongroom.crypto.fingerprint), never the value. Each request walks the
live values every mount offers (`Backend.managed_values`, KV v1 and v2) once and fingerprints them; nothing
is indexed or persisted. Sudo-protected: it answers across every mount, whatever the caller may read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from strongroom.crypto.fingerprint import FINGERPRINT_LENGTH, scan_fingerprint
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Backend, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core

MAX_FINGERPRINTS = 1000
# Shorter values are guessable from their fingerprint alone; the scanner's findings are longer anyway.
MIN_VALUE_LENGTH = 8
_WIRE = re.compile(f"[A-Za-z0-9_-]{{{FINGERPRINT_LENGTH}}}")

Mounts = Callable[[], Iterable[tuple[str, Backend]]]
"""(mount name without its trailing slash, backend) for every mount, read at each request."""


@dataclass(frozen=True)
class FingerprintArgs:
    # Any, not list[str]: the framework would accept a comma-separated string or numbers for a list field.
    fingerprints: Any = arg(f"Wire fingerprints of candidate values (a list of at most {MAX_FINGERPRINTS} "
                            f"{FINGERPRINT_LENGTH}-character base64url strings), as the scanner computes them.")


@dataclass(frozen=True, slots=True)
class Match:
    """Where a requested fingerprint's value is stored; `version` is 0 on a mount without versions."""

    fingerprint: str
    mount: str
    path: str
    version: int
    field: str


def requested(raw: Any) -> frozenset[str]:
    """The request's fingerprints, or InvalidRequest naming what is wrong (never echoing the input)."""
    if not isinstance(raw, list):
        raise InvalidRequest('Field validation failed: error converting input for field "fingerprints": '
                             "expected a list of strings")
    if len(raw) > MAX_FINGERPRINTS:
        raise InvalidRequest(f"at most {MAX_FINGERPRINTS} fingerprints per request, got {len(raw)}")
    for index, item in enumerate(raw):
        if not isinstance(item, str) or _WIRE.fullmatch(item) is None:
            raise InvalidRequest(f"fingerprints[{index}] is not a wire fingerprint "
                                 f"({FINGERPRINT_LENGTH} base64url characters)")
    return frozenset(raw)


def find_matches(mounts: Iterable[tuple[str, Backend]], wanted: frozenset[str]) -> list[Match]:
    """One pass over each mount's values; every place a wanted fingerprint's value is stored."""
    if not wanted:
        return []
    found: list[Match] = []
    for mount, backend in mounts:
        for item in backend.managed_values():
            value = item.value.strip()
            if len(value) < MIN_VALUE_LENGTH:
                continue
            fingerprint = scan_fingerprint(value)
            if fingerprint in wanted:
                found.append(Match(fingerprint, mount, item.path, item.version, item.field))
    return sorted(found, key=lambda m: (m.mount, m.path, m.version, m.field))


def fingerprint_path(mounts: Mounts) -> Path[FingerprintArgs]:
    def lookup(request: Request, args: FingerprintArgs) -> Response:
        matches = find_matches(mounts(), requested(args.fingerprints))
        return Response(data={"matches": [asdict(m) for m in matches]})

    return Path("scan/fingerprints", FingerprintArgs, {Operation.UPDATE: lookup},
                synopsis="Report which scanner fingerprints are values stored in KV, and where.",
                description="Answers across every mount, so it needs sudo. Unknown fingerprints are absent "
                            "from the matches; no value is ever returned.")


def paths(core: Core) -> list[Path[Any]]:
    def mounts() -> Iterable[tuple[str, Backend]]:
        return [(m.entry.router_path.rstrip("/"), m.backend) for m in core.router.all()]

    return [fingerprint_path(mounts)]
