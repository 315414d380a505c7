"""Strongroom token format: `sr.<type>.<32 base62 random><6 base62 CRC32>`.

The prefix makes a leaked token easy to find; the checksum (CRC32 of everything before it, base62, zero
padded) lets a scanner confirm a match without false positives and without asking the server.
"""

from __future__ import annotations

import re
import zlib

from strongroom.crypto.random import BASE62, base62

SERVICE = "s"
BATCH = "b"
BODY_LENGTH = 32
CHECKSUM_LENGTH = 6
PATTERN = re.compile(rf"sr\.([a-z])\.([0-9A-Za-z]{{{BODY_LENGTH}}})([0-9A-Za-z]{{{CHECKSUM_LENGTH}}})")


def _base62_fixed(number: int, width: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(BASE62[rest])
    return "".join(reversed(digits)).rjust(width, "0")


def checksum(prefix_and_body: str) -> str:
    return _base62_fixed(zlib.crc32(prefix_and_body.encode()), CHECKSUM_LENGTH)


def new_token(kind: str = SERVICE) -> str:
    head = f"sr.{kind}.{base62(BODY_LENGTH)}"
    return head + checksum(head)


def is_valid(token: str) -> bool:
    """True when `token` has the Strongroom shape and a correct checksum."""
    match = PATTERN.fullmatch(token)
    if match is None:
        return False
    return checksum(token[: -CHECKSUM_LENGTH]) == match.group(3)
