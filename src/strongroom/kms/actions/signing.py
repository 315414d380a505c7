"""Asymmetric and MAC operations: Sign, Verify, GetPublicKey, GenerateMac, VerifyMac.

Signatures follow AWS: ECDSA in DER, RSA-PSS with a salt as long as the hash, `MessageType=DIGEST` signs a
digest that must have the hash's length. A signature or MAC that does not verify is an error
(KMSInvalidSignatureException, KMSInvalidMacException), never a `false`.
"""

from __future__ import annotations

import binascii
import hmac
from collections.abc import Mapping
from typing import Any

from strongroom.kms.actions.common import Result, b64, dry_run, vault_split
from strongroom.kms.context import Context
from strongroom.kms.errors import (
    InvalidKeyUsageError,
    InvalidMacError,
    InvalidSignatureError,
    UnsupportedOperationError,
    ValidationError,
    from_strongroom,
)
from strongroom.kms.keyview import GENERATE_VERIFY_MAC, MAC_ALGORITHM, SIGN_VERIFY, KeyView
from strongroom.kms.params import Params
from strongroom.sdk.errors import InvalidRequest, StrongroomError
from strongroom.sdk.request import Operation

SIGNING_ALGORITHMS = ("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256",
                      "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384",
                      "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512")
MAC_ALGORITHMS = ("HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512")
_HASH_BYTES = {"256": 32, "384": 48, "512": 64, "224": 28}
_ED25519_SPKI = bytes.fromhex("302a300506032b6570032100")


def _sign_args(body: Mapping[str, Any], verify: bool) -> tuple[str, bytes, str, str, bytes | None, bool]:
    p = Params(body)
    key_text = p.key_id()
    message = p.blob("Message", required=True, high=4096)
    message_type = p.enum("MessageType", ("RAW", "DIGEST", "EXTERNAL_MU")) or "RAW"
    algorithm = p.enum("SigningAlgorithm", SIGNING_ALGORITHMS, required=True)
    signature = p.blob("Signature", required=True, high=6144) if verify else None
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    assert key_text is not None and message is not None and algorithm is not None
    return key_text, message, message_type, algorithm, signature, dry


def _transit_options(ctx: Context, view: KeyView, algorithm: str, message: bytes, message_type: str) -> tuple[
        str, dict[str, Any]]:
    if algorithm not in view.signing_algorithms():
        raise InvalidKeyUsageError(f"{algorithm} is not a valid signing algorithm for {ctx.key_arn(view.key_id)}.")
    if message_type == "EXTERNAL_MU":
        raise UnsupportedOperationError("MessageType EXTERNAL_MU is only for ML-DSA keys.")
    bits = algorithm.rsplit("_", 1)[1]
    if algorithm.startswith("ED25519"):
        if message_type == "DIGEST":
            raise ValidationError("ED25519_SHA_512 signs RAW messages only.")
        return "sha2-512", {}
    if message_type == "DIGEST" and len(message) != _HASH_BYTES[bits]:
        raise ValidationError(f"Digest is invalid length for algorithm {algorithm}.")
    options: dict[str, Any] = {"prehashed": message_type == "DIGEST", "marshaling_algorithm": "asn1"}
    if algorithm.startswith("RSASSA_PSS"):
        options.update(signature_algorithm="pss", salt_length="hash")
    elif algorithm.startswith("RSASSA_PKCS1"):
        options["signature_algorithm"] = "pkcs1v15"
    return f"sha2-{bits}", options


def sign(ctx: Context, body: Mapping[str, Any]) -> Result:
    key_text, message, message_type, algorithm, _, dry = _sign_args(body, False)
    view = ctx.usable(key_text, SIGN_VERIFY)
    hash_name, options = _transit_options(ctx, view, algorithm, message, message_type)
    if dry:
        dry_run(ctx, f"sign/{view.key_id}/{hash_name}")  # the exact path the call would use
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"sign/{view.key_id}/{hash_name}",
                                   {"input": b64(message), **options})
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    return {"KeyId": ctx.key_arn(view.key_id), "Signature": b64(vault_split(str(data["signature"]))[1]),
            "SigningAlgorithm": algorithm}


def verify(ctx: Context, body: Mapping[str, Any]) -> Result:
    key_text, message, message_type, algorithm, signature, dry = _sign_args(body, True)
    assert signature is not None
    view = ctx.usable(key_text, SIGN_VERIFY)
    hash_name, options = _transit_options(ctx, view, algorithm, message, message_type)
    if dry:
        dry_run(ctx, f"verify/{view.key_id}/{hash_name}")
    for number in view.live_versions():  # a signature names no version: any live one may have made it
        try:
            data = ctx.gateway.transit(Operation.UPDATE, f"verify/{view.key_id}/{hash_name}", {
                "input": b64(message), "signature": f"vault:v{number}:{b64(signature)}", **options})
        except InvalidRequest:
            continue
        except StrongroomError as exc:
            raise from_strongroom(exc) from None
        if data.get("valid") is True:
            break
    else:
        raise InvalidSignatureError()
    return {"KeyId": ctx.key_arn(view.key_id), "SignatureValid": True, "SigningAlgorithm": algorithm}


def _spki(pem: str) -> bytes:
    if "-----BEGIN" not in pem:
        return _ED25519_SPKI + binascii.a2b_base64(pem)
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return binascii.a2b_base64(body)


def get_public_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    p.grant_tokens()
    p.done()
    assert key_text is not None
    view = ctx.key(key_text)
    view.require_enabled(ctx.arns)
    if not view.asymmetric or not view.public_key_pem:
        raise UnsupportedOperationError(f"{ctx.key_arn(view.key_id)} is not an asymmetric KMS key.")
    result: Result = {"KeyId": ctx.key_arn(view.key_id), "PublicKey": b64(_spki(view.public_key_pem)),
                      "CustomerMasterKeySpec": view.spec, "KeySpec": view.spec, "KeyUsage": view.usage}
    if view.encryption_algorithms():
        result["EncryptionAlgorithms"] = view.encryption_algorithms()
    if view.signing_algorithms():
        result["SigningAlgorithms"] = view.signing_algorithms()
    return result


def _mac(ctx: Context, body: Mapping[str, Any], verify: bool) -> tuple[KeyView, str, bytes, bytes | None]:
    """(key, algorithm, message, the MAC to verify) after the checks GenerateMac and VerifyMac share."""
    p = Params(body)
    key_text = p.key_id()
    message = p.blob("Message", required=True, high=4096)
    algorithm = p.enum("MacAlgorithm", MAC_ALGORITHMS, required=True)
    mac = p.blob("Mac", required=True, high=6144) if verify else None
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    assert key_text is not None and message is not None and algorithm is not None
    view = ctx.usable(key_text, GENERATE_VERIFY_MAC)
    if MAC_ALGORITHM.get(view.spec) != algorithm:
        raise InvalidKeyUsageError(f"{algorithm} is not valid for {ctx.key_arn(view.key_id)} ({view.spec}).")
    if dry:
        dry_run(ctx, f"hmac/{view.key_id}/sha2-{algorithm.rsplit('_', 1)[1]}")
    return view, algorithm, message, mac


def _mac_at(ctx: Context, view: KeyView, algorithm: str, message: bytes, version: int = 0) -> bytes:
    """The MAC of `message` under one version of the key (0: the latest)."""
    hash_name = "sha2-" + algorithm.rsplit("_", 1)[1]
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"hmac/{view.key_id}/{hash_name}",
                                   {"input": b64(message), "key_version": version})
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    return vault_split(str(data["hmac"]))[1]


def generate_mac(ctx: Context, body: Mapping[str, Any]) -> Result:
    view, algorithm, message, _ = _mac(ctx, body, False)
    return {"Mac": b64(_mac_at(ctx, view, algorithm, message)), "MacAlgorithm": algorithm,
            "KeyId": ctx.key_arn(view.key_id)}


def verify_mac(ctx: Context, body: Mapping[str, Any]) -> Result:
    view, algorithm, message, given = _mac(ctx, body, True)
    assert given is not None
    # A MAC names no version: the latest is tried first, then older live ones (rotated through transit).
    if not any(hmac.compare_digest(_mac_at(ctx, view, algorithm, message, number), given)
               for number in view.live_versions()):
        raise InvalidMacError()
    return {"KeyId": ctx.key_arn(view.key_id), "MacValid": True, "MacAlgorithm": algorithm}
