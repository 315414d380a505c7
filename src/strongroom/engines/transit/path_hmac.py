"""`hmac/<name>[/<algorithm>]`: an HMAC of the input under the key version's HMAC key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.common import NAME, PARTIAL_CODE_IGNORED, b64decode, batch_items, require_key
from strongroom.keys import KeyService
from strongroom.sdk.errors import InvalidRequest, UserError
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class HmacArgs:
    name: str = arg("Name of the key.")
    input: str = arg("Base64 input.", default="", sensitive=True)
    key_version: int = arg("Version whose HMAC key to use (0: latest).", default=0)
    algorithm: str = arg("sha2-224, sha2-256 (default), sha2-384, sha2-512, sha3-*.", default="")
    urlalgorithm: str = arg("The algorithm, given in the path.", default="")
    batch_input: Any = arg("List of items {input, reference}.", default=None)
    partial_failure_response_code: int = arg(PARTIAL_CODE_IGNORED, default=0)


def path_hmac(service: KeyService) -> Path[HmacArgs]:
    def hmac(request: Request, args: HmacArgs) -> Response:
        ring = require_key(service, args.name, "HMAC key not found")
        algorithm = args.urlalgorithm or args.algorithm or "sha2-256"
        batch = args.batch_input is not None
        items = batch_items(args.batch_input, None, {"input": str, "reference": str}) if batch else [
            {"input": args.input}]
        results: list[dict[str, Any]] = []
        failures = False
        for item in items:
            reference = item.get("reference") or ""
            try:
                if "input" not in item:
                    raise InvalidRequest("missing input for HMAC")
                mac, _ = service.hmac(ring, b64decode(item["input"] or ""), algorithm, version=args.key_version)
            except UserError as exc:
                failures = True
                results.append({"error": exc.message, "reference": reference})
                continue
            results.append({"hmac": mac, "reference": reference})
        if not batch:
            if failures:
                raise InvalidRequest(results[0]["error"])
            return Response(data={"hmac": results[0]["hmac"]})
        return Response(data={"batch_results": results})

    return Path(f"hmac/{NAME}(?:/(?P<urlalgorithm>[\\w-]+))?", HmacArgs, operations={Operation.UPDATE: hmac},
                inline=True, synopsis="Generate an HMAC of the input with a named key.")
