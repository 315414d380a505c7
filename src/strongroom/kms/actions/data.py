"""The symmetric data plane: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(+WithoutPlaintext),
GenerateDataKeyPair(+WithoutPlaintext) and GenerateRandom. RSA encryption rides on the same actions."""

from __future__ import annotations

import binascii
from collections.abc import Mapping
from typing import Any

from strongroom.keys.errors import DECRYPTION_FAILED
from strongroom.kms import blob
from strongroom.kms.actions.common import (
    SYMMETRIC,
    Result,
    b64,
    datakey,
    dry_run,
    explain,
    open_blob,
    seal,
    symmetric_usage,
    vault_split,
)
from strongroom.kms.context import Context, require_usage
from strongroom.kms.errors import (
    IncorrectKeyError,
    InvalidCiphertextError,
    InvalidKeyUsageError,
    UnsupportedOperationError,
    ValidationError,
    from_strongroom,
)
from strongroom.kms.keyview import ENCRYPT_DECRYPT, RSA_ENCRYPTION, SPEC_TO_TRANSIT
from strongroom.kms.params import Params
from strongroom.sdk.errors import InvalidRequest, StrongroomError
from strongroom.sdk.request import Operation

ENCRYPTION_ALGORITHMS = ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE")
KEY_PAIR_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
                  "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519")
_PAIRS = {spec: SPEC_TO_TRANSIT[spec][0] for spec in KEY_PAIR_SPECS if spec in SPEC_TO_TRANSIT}
_OAEP_HASH = {"RSAES_OAEP_SHA_1": "sha1", "RSAES_OAEP_SHA_256": "sha2-256"}  # transit's hash_algorithm


def _decryption_failed(exc: StrongroomError) -> bool:
    return isinstance(exc, InvalidRequest) and exc.message == DECRYPTION_FAILED


def _no_recipient(p: Params) -> None:
    if p.body.get("Recipient") is not None:
        raise UnsupportedOperationError("Recipient (Nitro Enclaves attestation) is not supported.")


def _rsa_key(ctx: Context, key_text: str, algorithm: str) -> Any:
    view = ctx.usable(key_text, ENCRYPT_DECRYPT)
    if not view.spec.startswith("RSA_"):
        raise InvalidKeyUsageError(f"{algorithm} is not valid for {ctx.key_arn(view.key_id)}.")
    if algorithm not in RSA_ENCRYPTION:
        raise UnsupportedOperationError(f"{algorithm} is not supported; use {' or '.join(RSA_ENCRYPTION)}.")
    return view


def encrypt_with(ctx: Context, key_text: str, plaintext: bytes, context: Mapping[str, str], algorithm: str,
                 dry: bool = False) -> tuple[str, bytes]:
    """(key id, ciphertext) under the key `key_text` names."""
    if algorithm == SYMMETRIC:
        key_id = ctx.resolve(key_text)
        if dry:
            dry_run(ctx, f"encrypt/{key_id}", lambda: symmetric_usage(ctx, ctx.usable(key_id, ENCRYPT_DECRYPT)))
        return key_id, seal(ctx, key_id, plaintext, context)
    view = _rsa_key(ctx, key_text, algorithm)
    if context:
        raise ValidationError("EncryptionContext is not supported with asymmetric KMS keys.")
    if dry:
        dry_run(ctx, f"encrypt/{view.key_id}")
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"encrypt/{view.key_id}",
                                   {"plaintext": b64(plaintext), "hash_algorithm": _OAEP_HASH[algorithm]})
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    return view.key_id, vault_split(str(data["ciphertext"]))[1]


def decrypt_with(ctx: Context, ciphertext: bytes, key_text: str | None, context: Mapping[str, str],
                 algorithm: str, dry: bool = False) -> tuple[str, bytes]:
    """(key id, plaintext) of a ciphertext; `key_text`, when given, must name the key that made it."""
    if algorithm != SYMMETRIC:
        if not key_text:
            raise ValidationError("KeyId is required to decrypt with an asymmetric KMS key.")
        view = _rsa_key(ctx, key_text, algorithm)
        if dry:
            dry_run(ctx, f"decrypt/{view.key_id}")
        failure: StrongroomError | None = None
        for number in view.live_versions():  # RSA ciphertexts carry no version: try each live one
            try:
                data = ctx.gateway.transit(Operation.UPDATE, f"decrypt/{view.key_id}",
                                           {"ciphertext": f"vault:v{number}:{b64(ciphertext)}",
                                            "hash_algorithm": _OAEP_HASH[algorithm]})
                return view.key_id, binascii.a2b_base64(str(data["plaintext"]))
            except StrongroomError as exc:
                failure = exc
                if not _decryption_failed(exc):
                    break
        assert failure is not None
        raise explain(ctx, view.key_id, failure, InvalidCiphertextError(),
                      lambda v: require_usage(ctx, v, ENCRYPT_DECRYPT)) from None
    try:
        parsed = blob.parse(ciphertext)
    except (blob.BlobError, ValueError):
        raise InvalidCiphertextError() from None
    if key_text and ctx.resolve(key_text) != parsed.key_id:
        raise IncorrectKeyError()
    if dry:
        dry_run(ctx, f"decrypt/{parsed.key_id}",
                lambda: symmetric_usage(ctx, ctx.usable(parsed.key_id, ENCRYPT_DECRYPT)))
    return parsed.key_id, open_blob(ctx, parsed, context, named=bool(key_text))


def encrypt(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    key_text = p.key_id()
    plaintext = p.blob("Plaintext", required=True, high=4096)
    context = p.context()
    algorithm = p.enum("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS) or SYMMETRIC
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    assert key_text is not None and plaintext is not None
    key_id, ciphertext = encrypt_with(ctx, key_text, plaintext, context, algorithm, dry)
    return {"CiphertextBlob": b64(ciphertext), "KeyId": ctx.key_arn(key_id), "EncryptionAlgorithm": algorithm}


def decrypt(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    ciphertext = p.blob("CiphertextBlob", required=True, high=6144)
    key_text = p.key_id(required=False)
    context = p.context()
    algorithm = p.enum("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS) or SYMMETRIC
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    _no_recipient(p)
    assert ciphertext is not None
    key_id, plaintext = decrypt_with(ctx, ciphertext, key_text, context, algorithm, dry)
    return {"KeyId": ctx.key_arn(key_id), "Plaintext": b64(plaintext), "EncryptionAlgorithm": algorithm}


def re_encrypt(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    ciphertext = p.blob("CiphertextBlob", required=True, high=6144)
    source_text = p.key_id("SourceKeyId", required=False)
    source_context = p.context("SourceEncryptionContext")
    destination_text = p.key_id("DestinationKeyId")
    destination_context = p.context("DestinationEncryptionContext")
    source_algorithm = p.enum("SourceEncryptionAlgorithm", ENCRYPTION_ALGORITHMS) or SYMMETRIC
    destination_algorithm = p.enum("DestinationEncryptionAlgorithm", ENCRYPTION_ALGORITHMS) or SYMMETRIC
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    assert ciphertext is not None and destination_text is not None
    source_id, plaintext = decrypt_with(ctx, ciphertext, source_text, source_context, source_algorithm)
    destination_id, new = encrypt_with(ctx, destination_text, plaintext, destination_context,
                                       destination_algorithm, dry)
    return {"CiphertextBlob": b64(new), "SourceKeyId": ctx.key_arn(source_id), "KeyId": ctx.key_arn(destination_id),
            "SourceEncryptionAlgorithm": source_algorithm, "DestinationEncryptionAlgorithm": destination_algorithm}


def _data_key_args(body: Mapping[str, Any]) -> tuple[str, int, dict[str, str], bool]:
    p = Params(body)
    key_text = p.key_id()
    size = p.integer("NumberOfBytes", low=1, high=1024)
    spec = p.enum("KeySpec", ("AES_256", "AES_128"))
    context = p.context()
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    _no_recipient(p)
    if size is not None and spec is not None:
        raise ValidationError("Please specify either NumberOfBytes or KeySpec, not both.")
    if size is None and spec is None:
        raise ValidationError("Please specify either NumberOfBytes or KeySpec.")
    assert key_text is not None
    return key_text, size or (32 if spec == "AES_256" else 16), context, dry


def _data_key(ctx: Context, body: Mapping[str, Any], plaintext: bool) -> Result:
    key_text, size, context, dry = _data_key_args(body)
    key_id = ctx.resolve(key_text)
    if dry:
        # The path the call would use (sizes transit's datakey does not offer are sealed through encrypt).
        path = f"datakey/{'plaintext' if plaintext else 'wrapped'}/{key_id}" if size in (16, 32, 64) else (
            f"encrypt/{key_id}")
        dry_run(ctx, path, lambda: symmetric_usage(ctx, ctx.usable(key_id, ENCRYPT_DECRYPT)))
    ciphertext, key = datakey(ctx, key_id, size, context, plaintext)
    result: Result = {"CiphertextBlob": b64(ciphertext), "KeyId": ctx.key_arn(key_id)}
    if plaintext and key is not None:
        result["Plaintext"] = b64(key)
    return result


def generate_data_key(ctx: Context, body: Mapping[str, Any]) -> Result:
    return _data_key(ctx, body, True)


def generate_data_key_without_plaintext(ctx: Context, body: Mapping[str, Any]) -> Result:
    return _data_key(ctx, body, False)


def _data_key_pair(ctx: Context, body: Mapping[str, Any], plaintext: bool) -> Result:
    p = Params(body)
    key_text = p.key_id()
    spec = p.enum("KeyPairSpec", KEY_PAIR_SPECS, required=True)
    context = p.context()
    p.grant_tokens()
    dry = p.boolean("DryRun")
    p.done()
    _no_recipient(p)
    assert key_text is not None and spec is not None
    if spec not in _PAIRS:
        raise UnsupportedOperationError(f"KeyPairSpec {spec} is not supported.")
    view = ctx.usable(key_text, ENCRYPT_DECRYPT)
    symmetric_usage(ctx, view)
    if dry:
        dry_run(ctx, f"encrypt/{view.key_id}")
    try:
        pair = ctx.gateway.transit(Operation.UPDATE, f"keypair/{_PAIRS[spec]}")
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    private = binascii.a2b_base64(str(pair["private_key"]))
    result: Result = {
        "PrivateKeyCiphertextBlob": b64(seal(ctx, view.key_id, private, context)),
        "PublicKey": str(pair["public_key"]), "KeyId": ctx.key_arn(view.key_id), "KeyPairSpec": spec,
    }
    if plaintext:
        result["PrivateKeyPlaintext"] = b64(private)
    return result


def generate_data_key_pair(ctx: Context, body: Mapping[str, Any]) -> Result:
    return _data_key_pair(ctx, body, True)


def generate_data_key_pair_without_plaintext(ctx: Context, body: Mapping[str, Any]) -> Result:
    return _data_key_pair(ctx, body, False)


def generate_random(ctx: Context, body: Mapping[str, Any]) -> Result:
    p = Params(body)
    size = p.integer("NumberOfBytes", required=True, low=1, high=1024)
    store = p.string("CustomKeyStoreId", low=1, high=64)
    p.done()
    _no_recipient(p)
    if store is not None:
        raise UnsupportedOperationError("Custom key stores are not supported.")
    try:
        data = ctx.gateway.transit(Operation.UPDATE, f"random/{size}")
    except StrongroomError as exc:
        raise from_strongroom(exc) from None
    return {"Plaintext": str(data["random_bytes"])}
