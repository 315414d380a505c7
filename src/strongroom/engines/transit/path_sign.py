"""`sign/<name>[/<hash>]` and `verify/<name>[/<hash>]`; verify also checks HMACs (`hmac` instead of `signature`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.crypto.asymmetric import SignOptions
from strongroom.engines.transit.common import NAME, PARTIAL_CODE_IGNORED, b64decode, batch_items, require_key
from strongroom.keys import Keyring, KeyService
from strongroom.sdk.errors import InvalidRequest, UserError
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

_ALGORITHM = r"(?:/(?P<urlalgorithm>[\w-]+))?"
_SIGN_FIELDS = {"input": str, "context": str, "reference": str}
_VERIFY_FIELDS = {"input": str, "context": str, "reference": str, "signature": str, "hmac": str}
HASHES = ("sha1", "sha2-224", "sha2-256", "sha2-384", "sha2-512", "sha3-224", "sha3-256", "sha3-384", "sha3-512")


@dataclass(frozen=True)
class SignArgs:
    name: str = arg("Name of the key.")
    input: str = arg("Base64 input to sign or verify.", default="", sensitive=True)
    context: str = arg("Base64 context; required for derived keys.", default="")
    key_version: int = arg("Sign only: the version to sign with (0: latest).", default=0)
    hash_algorithm: str = arg("sha1, sha2-224, sha2-256 (default), sha2-384, sha2-512, sha3-*.", default="")
    urlalgorithm: str = arg("The hash algorithm, given in the path.", default="")
    algorithm: str = arg("Deprecated alias of hash_algorithm.", default="")
    prehashed: bool = arg("The input is already a digest of the given hash algorithm.", default=False)
    signature_algorithm: str = arg("RSA only: pss (default) or pkcs1v15.", default="")
    salt_length: str = arg("RSA-PSS salt length: auto (default), hash, or a number of bytes.", default="auto")
    marshaling_algorithm: str = arg("asn1 (default) or jws: base64url, and r || s rather than DER for ECDSA.",
                                    default="asn1")
    signature: str = arg("Verify only: the `vault:v<N>:` signature.", default="")
    hmac: str = arg("Verify only: the `vault:v<N>:` HMAC (instead of a signature).", default="")
    batch_input: Any = arg("List of items {input, context, reference[, signature|hmac]}.", default=None)
    partial_failure_response_code: int = arg(PARTIAL_CODE_IGNORED, default=0)


def _hash_name(args: SignArgs) -> str:
    name = args.urlalgorithm or args.hash_algorithm or args.algorithm or "sha2-256"
    if name not in HASHES:
        raise InvalidRequest(f"unsupported hash algorithm {name}")
    return name


def _options(ring: Keyring, args: SignArgs) -> SignOptions:
    if args.marshaling_algorithm not in ("asn1", "jws"):
        raise InvalidRequest(f"unsupported marshaling algorithm {args.marshaling_algorithm}")
    padding = args.signature_algorithm or "pss"
    if padding not in ("pss", "pkcs1v15"):
        raise InvalidRequest(f"unsupported signature algorithm {padding}")
    return SignOptions(hash_algorithm=_hash_name(args), prehashed=args.prehashed, signature_algorithm=padding,
                       salt_length=args.salt_length or "auto", marshaling=args.marshaling_algorithm)


def _items(args: SignArgs, fields: Mapping[str, type]) -> tuple[list[dict[str, Any]], bool]:
    if args.batch_input is not None:
        return batch_items(args.batch_input, None, fields), True
    return [{"input": args.input, "context": args.context, "signature": args.signature, "hmac": args.hmac}], False


def _finish(results: list[dict[str, Any]], batch: bool, failures: bool) -> Response:
    """A single item's error is the request's; a batch answers 200 with per-item errors, as Vault does."""
    if not batch:
        if failures:
            raise InvalidRequest(results[0]["error"])
        results[0].pop("reference", None)
        return Response(data=results[0])
    return Response(data={"batch_results": results})


def paths_sign(service: KeyService) -> list[Path[SignArgs]]:
    def sign(request: Request, args: SignArgs) -> Response:
        ring = require_key(service, args.name, "signing key not found")
        options = _options(ring, args)
        items, batch = _items(args, _SIGN_FIELDS)
        results: list[dict[str, Any]] = []
        failures = False
        for item in items:
            reference = item.get("reference") or ""
            try:
                context = item.get("context")
                signature, version = service.sign(
                    ring, b64decode(item.get("input") or ""), options, version=args.key_version,
                    context=b64decode(context) if context else None)
            except UserError as exc:
                failures = True
                results.append({"error": exc.message, "reference": reference})
                continue
            results.append({"signature": signature, "key_version": version, "reference": reference})
        return _finish(results, batch, failures)

    def verify(request: Request, args: SignArgs) -> Response:
        ring = require_key(service, args.name, "signature verification key not found")
        items, batch = _items(args, _VERIFY_FIELDS)
        results: list[dict[str, Any]] = []
        failures = False
        options: SignOptions | None = None
        for item in items:
            reference = item.get("reference") or ""
            try:
                data = b64decode(item.get("input") or "")
                context = item.get("context")
                if item.get("signature") and item.get("hmac"):
                    raise InvalidRequest("provide one of 'signature' or 'hmac', not both")
                if item.get("hmac"):
                    valid = service.verify_hmac(ring, data, item["hmac"], _hash_name(args))
                elif item.get("signature"):
                    options = options or _options(ring, args)
                    valid = service.verify(ring, data, item["signature"], options,
                                           context=b64decode(context) if context else None)
                else:
                    raise InvalidRequest("missing signature or hmac to verify")
            except UserError as exc:
                failures = True
                results.append({"valid": False, "error": exc.message, "reference": reference})
                continue
            results.append({"valid": valid, "reference": reference})
        return _finish(results, batch, failures)

    return [
        Path(f"sign/{NAME}{_ALGORITHM}", SignArgs, operations={Operation.UPDATE: sign},
             synopsis="Sign input with a named asymmetric key."),
        Path(f"verify/{NAME}{_ALGORITHM}", SignArgs, operations={Operation.UPDATE: verify}, inline=True,
             synopsis="Verify a signature or HMAC of the input; `valid` says whether it matched."),
    ]
