"""AWS Signature Version 4, verified on the server for requests signed in the Authorization header (the way
botocore, the AWS CLI and curl --aws-sigv4 sign).

Steps (AWS "Create a signed AWS API request"): parse `Authorization: AWS4-HMAC-SHA256 Credential=<AKID>/<date>/
<region>/<service>/aws4_request, SignedHeaders=<names>, Signature=<hex>`; check the request time against the
clock (a stale or future request is refused, bounding replays); build the canonical request from the method, the
path, the query, the signed headers and the SHA-256 of the body actually received (so a body changed in transit
breaks the signature); sign "AWS4-HMAC-SHA256\\n<time>\\n<scope>\\n<hash of canonical request>" with the key
derived from the secret; compare in constant time.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote

from strongroom.auth.sigv4.errors import IncompleteSignature, InvalidSignature, MissingAuthenticationToken
from strongroom.crypto.hashing import equal, hmac_sha256, sha256

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
AMZ_DATE = "%Y%m%dT%H%M%SZ"
_SPACES = re.compile(r"\s+")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What was received. `path` and `query` are raw (as sent, percent-encoded); `headers` have lower-case
    names, repeated headers joined with ","; `body_sha256` is the hex digest of the body bytes received."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body_sha256: str


@dataclass(frozen=True, slots=True)
class Credential:
    """The parsed Authorization header."""

    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    terminator: str = TERMINATOR

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{self.terminator}"


def parse_authorization(headers: Mapping[str, str]) -> Credential:
    value = headers.get("authorization", "")
    if not value:
        raise MissingAuthenticationToken()
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignature(f"Unsupported AWS 'algorithm': '{algorithm[:40]}'")
    parts: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, text = item.strip().partition("=")
        if sep:
            parts[name] = text.strip()
    for required in ("Credential", "SignedHeaders", "Signature"):
        if not parts.get(required):
            raise IncompleteSignature(f"Authorization header requires '{required}' parameter.")
    scope = parts["Credential"].split("/")
    if len(scope) != 5 or not all(scope):
        raise IncompleteSignature("Credential must have exactly 5 slash-delimited elements, e.g. "
                                  "keyid/date/region/service/term")
    names = tuple(parts["SignedHeaders"].lower().split(";"))
    if "host" not in names:
        raise IncompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
    if "x-amz-date" not in names and "date" not in names:
        raise IncompleteSignature("'X-Amz-Date' or 'Date' must be a 'SignedHeader' in the AWS Authorization.")
    signature = parts["Signature"].lower()
    if not _HEX64.fullmatch(signature):
        raise InvalidSignature()
    return Credential(scope[0], scope[1], scope[2], scope[3], names, signature, scope[4])


def request_time(headers: Mapping[str, str]) -> tuple[float, str]:
    """(epoch seconds, the ISO 8601 basic form used in the string to sign)."""
    text = headers.get("x-amz-date", "").strip()
    if len(text) == 16 and text[8] == "T" and text[15] == "Z" and text[:8].isdigit() and text[9:15].isdigit():
        try:  # the common form, parsed without strptime (hot path)
            fields = (int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[9:11]), int(text[11:13]),
                      int(text[13:15]), 0, 0, 0)
            datetime(*fields[:6])  # rejects month 13, day 32 and the like
            return float(calendar.timegm(fields)), text
        except ValueError:
            raise IncompleteSignature("Date must be in ISO-8601 'basic format'.") from None
    try:
        if text:
            when = datetime.strptime(text, AMZ_DATE).replace(tzinfo=UTC)
        elif headers.get("date"):
            when = parsedate_to_datetime(headers["date"]).astimezone(UTC)
        else:
            raise IncompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a "
                                      "'Date' header.")
    except (ValueError, TypeError):
        raise IncompleteSignature("Date must be in ISO-8601 'basic format'.") from None
    return when.timestamp(), when.strftime(AMZ_DATE)


def check_fresh(timestamp: float, now: float, max_skew: float) -> None:
    """Refuse a request dated more than `max_skew` seconds before or after `now`."""

    def fmt(moment: float) -> str:
        return datetime.fromtimestamp(moment, UTC).strftime(AMZ_DATE)

    minutes = f"{int(max_skew // 60)} min."
    if timestamp < now - max_skew:
        raise InvalidSignature(f"Signature expired: {fmt(timestamp)} is now earlier than "
                               f"{fmt(now - max_skew)} ({fmt(now)} - {minutes})")
    if timestamp > now + max_skew:
        raise InvalidSignature(f"Signature not yet current: {fmt(timestamp)} is still later than "
                               f"{fmt(now + max_skew)} ({fmt(now)} + {minutes})")


def check_scope(credential: Credential, amz_date: str, service: str) -> None:
    if credential.date != amz_date[:8]:
        raise InvalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                               "from HTTP.")
    if credential.service != service:
        raise InvalidSignature(f"Credential should be scoped to correct service: '{service}'.")
    if credential.terminator != TERMINATOR:
        raise InvalidSignature("Credential should be scoped with a valid terminator: 'aws4_request'.")


def _normalize_path(path: str) -> str:
    """RFC 3986 dot-segment removal and duplicate-slash folding, keeping a trailing slash."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    text = "/" + "/".join(segments)
    if path.endswith("/") and text != "/":
        text += "/"
    return text


def canonical_request(request: SignedRequest, signed_headers: tuple[str, ...]) -> str:
    uri = quote(_normalize_path(request.path or "/"), safe="/~")
    pairs = sorted(
        (quote(k, safe="-_.~"), quote(v, safe="-_.~"))
        for k, v in parse_qsl(request.query, keep_blank_values=True)
    )
    query = "&".join(f"{k}={v}" for k, v in pairs)
    lines = []
    for name in signed_headers:
        value = request.headers.get(name)
        if value is None:
            raise InvalidSignature()
        lines.append(f"{name}:{_SPACES.sub(' ', value.strip())}\n")
    return "\n".join([request.method.upper(), uri, query, "".join(lines), ";".join(signed_headers),
                      request.body_sha256])


def string_to_sign(amz_date: str, credential: Credential, canonical: str) -> str:
    return f"{ALGORITHM}\n{amz_date}\n{credential.scope}\n{sha256(canonical.encode()).hex()}"


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = hmac_sha256(f"AWS4{secret}".encode(), date.encode())
    key = hmac_sha256(key, region.encode())
    key = hmac_sha256(key, service.encode())
    return hmac_sha256(key, TERMINATOR.encode())


def sign(key: bytes, text: str) -> str:
    return hmac_sha256(key, text.encode()).hex()


def check_body(request: SignedRequest) -> None:
    """A signed x-amz-content-sha256 must name the body that arrived."""
    declared = request.headers.get("x-amz-content-sha256")
    if declared is not None and not equal(declared.strip().lower(), request.body_sha256):
        raise InvalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")


def verify(request: SignedRequest, credential: Credential, amz_date: str, key: bytes) -> None:
    """Raise InvalidSignature unless `credential.signature` signs `request` under `key` (constant-time)."""
    check_body(request)
    expected = sign(key, string_to_sign(amz_date, credential, canonical_request(request, credential.signed_headers)))
    if not equal(expected, credential.signature):
        raise InvalidSignature()
