"""sys/tools/random and sys/tools/hash."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.crypto.hashing import HASH_ALGORITHMS, digest
from strongroom.crypto.random import random_bytes
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

if TYPE_CHECKING:
    from strongroom.core.core import Core

MAX_RANDOM_BYTES = 128 * 1024


@dataclass(frozen=True)
class RandomArgs:
    source: str = arg("platform, seal or all.", "platform")
    urlbytes: str = arg("Number of bytes (from the path).", "")
    bytes: int = arg("Number of bytes.", 32)
    format: str = arg("base64 or hex.", "base64")


@dataclass(frozen=True)
class HashArgs:
    input: str = arg("Base64-encoded input.", sensitive=True)
    urlalgorithm: str = arg("Algorithm (from the path).", "")
    algorithm: str = arg("Algorithm.", "sha2-256")
    format: str = arg("hex or base64.", "hex")


def encode(data: bytes, fmt: str) -> str:
    if fmt == "hex":
        return data.hex()
    if fmt == "base64":
        return base64.b64encode(data).decode()
    raise InvalidRequest(f"unsupported encoding format {fmt[:16]}; must be \"hex\" or \"base64\"")


def paths(core: Core) -> list[Path[Any]]:
    def random(request: Request, args: RandomArgs) -> Response:
        if args.source not in ("platform", "seal", "all"):
            raise InvalidRequest(f'unsupported entropy source "{args.source[:16]}"')
        try:
            count = int(args.urlbytes) if args.urlbytes else args.bytes
        except ValueError:
            raise InvalidRequest("error parsing url-set byte count") from None
        if not 0 < count <= MAX_RANDOM_BYTES:
            raise InvalidRequest(f"requested number of bytes must be between 1 and {MAX_RANDOM_BYTES}")
        return Response(data={"random_bytes": encode(random_bytes(count), args.format)})

    def hash_(request: Request, args: HashArgs) -> Response:
        algorithm = args.urlalgorithm or args.algorithm
        if algorithm not in HASH_ALGORITHMS:
            raise InvalidRequest(f"unsupported algorithm {algorithm[:16]}")
        try:
            data = base64.b64decode(args.input, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidRequest("unable to decode input as base64") from None
        return Response(data={"sum": encode(digest(algorithm, data), args.format)})

    return [
        Path(r"tools/random(?:/(?P<source>platform|seal|all|[^/0-9][^/]*))?(?:/(?P<urlbytes>[^/]+))?", RandomArgs,
             {Operation.UPDATE: random}, synopsis="Random bytes from the server's CSPRNG."),
        Path(r"tools/hash(?:/(?P<urlalgorithm>[^/]+))?", HashArgs, {Operation.UPDATE: hash_},
             synopsis="Hash base64-encoded input."),
    ]
