"""`random[/<source>][/<bytes>]` and `hash[/<algorithm>]`: utilities that use no key."""

from __future__ import annotations

import os
from dataclasses import dataclass

from strongroom.crypto.hashing import HASH_ALGORITHMS, digest
from strongroom.engines.transit.common import b64decode, b64encode
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

MAX_RANDOM_BYTES = 128 * 1024


@dataclass(frozen=True)
class RandomArgs:
    urlbytes: str = arg("Number of bytes, given in the path.", default="")
    bytes: int = arg("Number of bytes (default 32).", default=32)
    format: str = arg("base64 (default) or hex.", default="base64")
    source: str = arg("platform (default), seal or all: all are the OS CSPRNG here.", default="platform")


@dataclass(frozen=True)
class HashArgs:
    input: str = arg("Base64 input.", default="", sensitive=True)
    algorithm: str = arg("sha2-224, sha2-256 (default), sha2-384, sha2-512, sha3-224, sha3-256, sha3-384, "
                         "sha3-512.", default="")
    urlalgorithm: str = arg("The algorithm, given in the path.", default="")
    format: str = arg("hex (default) or base64.", default="hex")


def _encode(data: bytes, fmt: str) -> str:
    if fmt == "hex":
        return data.hex()
    if fmt == "base64":
        return b64encode(data)
    raise InvalidRequest(f"unsupported encoding format {fmt}; must be \"hex\" or \"base64\"")


def paths_tools() -> list[Path[RandomArgs] | Path[HashArgs]]:
    def random(request: Request, args: RandomArgs) -> Response:
        count = args.bytes
        if args.urlbytes:
            if not args.urlbytes.isdigit():
                raise InvalidRequest(f"error parsing url-set byte count: {args.urlbytes}")
            count = int(args.urlbytes)
        if args.source not in ("platform", "seal", "all"):
            raise InvalidRequest(f"unsupported entropy source {args.source}; must be \"platform\" or \"seal\", "
                                 "or \"all\"")
        if count < 1:
            raise InvalidRequest("missing bytes count")
        if count > MAX_RANDOM_BYTES:
            raise InvalidRequest(f"bytes cannot be more than {MAX_RANDOM_BYTES}")
        return Response(data={"random_bytes": _encode(os.urandom(count), args.format)})

    def hash_(request: Request, args: HashArgs) -> Response:
        algorithm = args.urlalgorithm or args.algorithm or "sha2-256"
        if algorithm not in HASH_ALGORITHMS:
            raise InvalidRequest(f"unsupported algorithm {algorithm}")
        if args.format not in ("hex", "base64"):
            raise InvalidRequest(f"unsupported encoding format {args.format}; must be \"hex\" or \"base64\"")
        return Response(data={"sum": _encode(digest(algorithm, b64decode(args.input)), args.format)})

    return [
        Path(r"random(?:/(?P<source>platform|seal|all))?(?:/(?P<urlbytes>[^/]+))?", RandomArgs,
             operations={Operation.UPDATE: random}, synopsis="Generate random bytes."),
        Path(r"hash(?:/(?P<urlalgorithm>[\w-]+))?", HashArgs, operations={Operation.UPDATE: hash_},
             synopsis="Hash the input."),
    ]
