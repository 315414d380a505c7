"""`decrypt/<name>` and `rewrap/<name>`. Every failure about a ciphertext gives the one generic message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.common import (
    NAME,
    b64decode,
    b64encode,
    batch_items,
    batch_response,
    check_context_consistency,
    require_key,
)
from strongroom.keys import Keyring, KeyService
from strongroom.sdk.errors import InvalidRequest, UserError
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

_ITEM_FIELDS = {"ciphertext": str, "context": str, "associated_data": str, "reference": str, "nonce": str,
                "key_version": int}


@dataclass(frozen=True)
class DecryptArgs:
    name: str = arg("Name of the key.")
    ciphertext: str = arg("The `vault:v<N>:` ciphertext to decrypt.", default="")
    context: str = arg("Base64 context for key derivation; required for derived keys.", default="")
    associated_data: str = arg("Base64 associated data given at encryption.", default="")
    nonce: str = arg("Ignored: the nonce travels inside the ciphertext.", default="")
    key_version: int = arg("Rewrap only: the version to re-encrypt with (0: latest).", default=0)
    hash_algorithm: str = arg("RSA keys only: the OAEP hash, sha2-256 (default) or sha1.", default="sha2-256")
    batch_input: Any = arg("List of items {ciphertext, context, associated_data, reference}.", default=None)
    partial_failure_response_code: int = arg("Status for a batch where some but not all items failed.",
                                             default=0)


def _items(args: DecryptArgs) -> tuple[list[dict[str, Any]], bool]:
    if args.batch_input is not None:
        return batch_items(args.batch_input, "ciphertext", _ITEM_FIELDS), True
    if not args.ciphertext:
        raise InvalidRequest("missing ciphertext to decrypt")
    return [{"ciphertext": args.ciphertext, "context": args.context, "associated_data": args.associated_data,
             "key_version": args.key_version}], False


def _decrypt_one(service: KeyService, ring: Keyring, item: dict[str, Any], index: int,
                 oaep_hash: str) -> tuple[bytes, bytes | None]:
    text = item.get("ciphertext") or ""
    if not text:
        raise InvalidRequest("missing ciphertext to decrypt")
    context = item.get("context")
    context_bytes = b64decode(context) if context else None
    aad = item.get("associated_data")
    if aad and not ring.key.kind.associated_data:
        raise InvalidRequest(f"'[{index}].associated_data' provided for non-AEAD cipher suite {ring.key.type}")
    plaintext, _ = service.decrypt(ring, text, context=context_bytes, aad=b64decode(aad) if aad else None,
                                   oaep_hash=oaep_hash)
    return plaintext, context_bytes


def path_decrypt(service: KeyService) -> Path[DecryptArgs]:
    def decrypt(request: Request, args: DecryptArgs) -> Response:
        items, batch = _items(args)
        check_context_consistency(items)
        ring = require_key(service, args.name)
        results: list[dict[str, Any]] = []
        successes = failures = False
        for index, item in enumerate(items):
            reference = item.get("reference") or ""
            try:
                plaintext, _ = _decrypt_one(service, ring, item, index, args.hash_algorithm)
            except UserError as exc:
                failures = True
                results.append({"plaintext": "", "error": exc.message, "reference": reference})
                continue
            successes = True
            results.append({"plaintext": b64encode(plaintext), "reference": reference})
        if not batch:
            if failures:
                raise InvalidRequest(results[0]["error"])
            return Response(data={"plaintext": results[0]["plaintext"]})
        return batch_response({"batch_results": results}, successes=successes, user_errors=failures,
                              partial_code=args.partial_failure_response_code)

    return Path(f"decrypt/{NAME}", DecryptArgs, operations={Operation.UPDATE: decrypt}, inline=True,
                synopsis="Decrypt a ciphertext or a batch of ciphertexts with a named key.",
                description="The plaintext is returned base64. Any ciphertext problem gives one generic error.")


def path_rewrap(service: KeyService) -> Path[DecryptArgs]:
    def rewrap(request: Request, args: DecryptArgs) -> Response:
        items, batch = _items(args)
        check_context_consistency(items)
        ring = require_key(service, args.name)
        results: list[dict[str, Any]] = []
        failures = False
        for index, item in enumerate(items):
            reference = item.get("reference") or ""
            try:
                plaintext, context = _decrypt_one(service, ring, item, index, args.hash_algorithm)
                ring = service.get(args.name) or ring
                aad = item.get("associated_data")
                ciphertext, version = service.encrypt(ring, plaintext, context=context,
                                                      aad=b64decode(aad) if aad else None,
                                                      version=int(item.get("key_version") or 0),
                                                      oaep_hash=args.hash_algorithm)
            except UserError as exc:
                failures = True
                results.append({"error": exc.message, "reference": reference})
                continue
            results.append({"ciphertext": ciphertext, "key_version": version, "reference": reference})
        if not batch:
            if failures:
                raise InvalidRequest(results[0]["error"])
            return Response(data={"ciphertext": results[0]["ciphertext"], "key_version": results[0]["key_version"]})
        return Response(data={"batch_results": results})  # 200 with per-item errors, as Vault's rewrap

    return Path(f"rewrap/{NAME}", DecryptArgs, operations={Operation.UPDATE: rewrap}, inline=True,
                synopsis="Re-encrypt a ciphertext with the latest (or a given) version of the key, without "
                         "revealing the plaintext.")
