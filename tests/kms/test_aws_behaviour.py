"""AWS KMS behaviour that moto does not reproduce, written from the AWS documentation: key states, deletion
windows, wrong-key and tampered ciphertexts, encryption-context binding, key usage, parameter bounds, aliases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_support import client_for, error_code, issue_key

from serverproc import ServerProcess


def refused(call: Callable[[], Any]) -> tuple[str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    return error_code(caught.value), int(caught.value.response["ResponseMetadata"]["HTTPStatusCode"])


@pytest.fixture(scope="module")
def keys(kms: Any) -> dict[str, dict[str, Any]]:
    """One key of each kind, plus a ciphertext, signature and MAC made while they were enabled."""
    made = {
        "sym": kms.create_key()["KeyMetadata"],
        "rsa_enc": kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"],
        "rsa_sign": kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"],
        "hmac": kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"],
    }
    made["sym"]["blob"] = kms.encrypt(KeyId=made["sym"]["Arn"], Plaintext=b"x")["CiphertextBlob"]
    made["rsa_enc"]["blob"] = kms.encrypt(KeyId=made["rsa_enc"]["Arn"], Plaintext=b"x",
                                          EncryptionAlgorithm="RSAES_OAEP_SHA_256")["CiphertextBlob"]
    made["rsa_sign"]["sig"] = kms.sign(KeyId=made["rsa_sign"]["Arn"], Message=b"m",
                                       SigningAlgorithm="RSASSA_PSS_SHA_256")["Signature"]
    made["hmac"]["mac"] = kms.generate_mac(KeyId=made["hmac"]["Arn"], Message=b"m",
                                           MacAlgorithm="HMAC_SHA_256")["Mac"]
    return made


def _data_plane(kms: Any, k: dict[str, dict[str, Any]]) -> dict[str, Callable[[], Any]]:
    sym, rsa_enc, rsa_sign, mac = k["sym"]["Arn"], k["rsa_enc"]["Arn"], k["rsa_sign"]["Arn"], k["hmac"]["Arn"]
    return {
        "Encrypt": lambda: kms.encrypt(KeyId=sym, Plaintext=b"x"),
        "Decrypt": lambda: kms.decrypt(CiphertextBlob=k["sym"]["blob"]),
        "ReEncrypt": lambda: kms.re_encrypt(CiphertextBlob=k["sym"]["blob"], DestinationKeyId=sym),
        "GenerateDataKey": lambda: kms.generate_data_key(KeyId=sym, NumberOfBytes=32),
        "GenerateDataKeyWithoutPlaintext": lambda: kms.generate_data_key_without_plaintext(KeyId=sym,
                                                                                         KeySpec="AES_256"),
        "GenerateDataKeyPair": lambda: kms.generate_data_key_pair(KeyId=sym, KeyPairSpec="ECC_NIST_P256"),
        "GenerateDataKeyPairWithoutPlaintext": lambda: kms.generate_data_key_pair_without_plaintext(
            KeyId=sym, KeyPairSpec="ECC_NIST_P256"),
        "EncryptRSA": lambda: kms.encrypt(KeyId=rsa_enc, Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256"),
        "DecryptRSA": lambda: kms.decrypt(CiphertextBlob=k["rsa_enc"]["blob"], KeyId=rsa_enc,
                                          EncryptionAlgorithm="RSAES_OAEP_SHA_256"),
        "Sign": lambda: kms.sign(KeyId=rsa_sign, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256"),
        "Verify": lambda: kms.verify(KeyId=rsa_sign, Message=b"m", Signature=k["rsa_sign"]["sig"],
                                     SigningAlgorithm="RSASSA_PSS_SHA_256"),
        "GetPublicKey": lambda: kms.get_public_key(KeyId=rsa_sign),
        "GenerateMac": lambda: kms.generate_mac(KeyId=mac, Message=b"m", MacAlgorithm="HMAC_SHA_256"),
        "VerifyMac": lambda: kms.verify_mac(KeyId=mac, Message=b"m", Mac=k["hmac"]["mac"],
                                            MacAlgorithm="HMAC_SHA_256"),
    }


OPERATIONS = ["Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
              "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "EncryptRSA", "DecryptRSA", "Sign",
              "Verify", "GetPublicKey", "GenerateMac", "VerifyMac"]


def _set_state(kms: Any, keys: dict[str, dict[str, Any]], state: str) -> None:
    for meta in keys.values():
        current = kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"]
        if current == "PendingDeletion":
            kms.cancel_key_deletion(KeyId=meta["KeyId"])
        if state == "Enabled":
            kms.enable_key(KeyId=meta["KeyId"])
        elif state == "Disabled":
            kms.disable_key(KeyId=meta["KeyId"])
        else:
            kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)


@pytest.mark.parametrize(("state", "expected"), [("Disabled", "DisabledException"),
                                                 ("PendingDeletion", "KMSInvalidStateException")])
def test_key_state_refuses_every_cryptographic_use(kms: Any, keys: dict[str, dict[str, Any]], state: str,
                                                   expected: str) -> None:
    operations = _data_plane(kms, keys)
    _set_state(kms, keys, state)
    try:
        results = {name: refused(operations[name]) for name in OPERATIONS}
        assert results == dict.fromkeys(OPERATIONS, (expected, 400))
        # Reads of the key still work in every state.
        assert kms.describe_key(KeyId=keys["sym"]["Arn"])["KeyMetadata"]["KeyState"] == state
        assert kms.list_resource_tags(KeyId=keys["sym"]["KeyId"])["Tags"] == []
    finally:
        _set_state(kms, keys, "Enabled")
    for name in OPERATIONS:
        operations[name]()


def test_pending_deletion_rules(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    for days in (1, 6, 31, 365):
        code, _ = refused(lambda d=days: kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=d))
        assert code == "ValidationException"
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    assert refused(lambda: kms.enable_key(KeyId=meta["KeyId"]))[0] == "KMSInvalidStateException"
    assert refused(lambda: kms.disable_key(KeyId=meta["KeyId"]))[0] == "KMSInvalidStateException"
    assert refused(lambda: kms.schedule_key_deletion(KeyId=meta["KeyId"]))[0] == "KMSInvalidStateException"
    assert refused(lambda: kms.tag_resource(KeyId=meta["KeyId"], Tags=[{"TagKey": "a", "TagValue": "b"}]))[0] == \
        "KMSInvalidStateException"
    kms.cancel_key_deletion(KeyId=meta["KeyId"])
    assert refused(lambda: kms.cancel_key_deletion(KeyId=meta["KeyId"]))[0] == "KMSInvalidStateException"
    assert refused(lambda: kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x"))[0] == "DisabledException"
    kms.enable_key(KeyId=meta["KeyId"])
    kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")


def test_wrong_key_and_foreign_ciphertexts(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    first, second = new_key(), new_key()
    blob = kms.encrypt(KeyId=first["Arn"], Plaintext=b"x")["CiphertextBlob"]
    assert refused(lambda: kms.decrypt(CiphertextBlob=blob, KeyId=second["Arn"]))[0] == "IncorrectKeyException"
    assert refused(lambda: kms.re_encrypt(CiphertextBlob=blob, SourceKeyId=second["KeyId"],
                                          DestinationKeyId=second["KeyId"]))[0] == "IncorrectKeyException"
    assert refused(lambda: kms.decrypt(CiphertextBlob=b"\x00" * 64))[0] == "InvalidCiphertextException"
    # A blob naming a key that does not exist, and one moved onto another key's header.
    forged = blob[:5] + bytes(16) + blob[21:]
    assert refused(lambda: kms.decrypt(CiphertextBlob=forged))[0] == "InvalidCiphertextException"
    other = kms.encrypt(KeyId=second["Arn"], Plaintext=b"x")["CiphertextBlob"]
    moved = other[:21] + blob[21:]
    assert refused(lambda: kms.decrypt(CiphertextBlob=moved))[0] == "InvalidCiphertextException"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tampered_blobs_are_invalid_ciphertext(kms: Any, keys: dict[str, dict[str, Any]], data: st.DataObject) -> None:
    blob: bytes = keys["sym"]["blob"]
    kind = data.draw(st.sampled_from(["flip", "truncate", "extend"]))
    if kind == "flip":
        index = data.draw(st.integers(0, len(blob) - 1))
        bit = data.draw(st.integers(0, 7))
        tampered = blob[:index] + bytes([blob[index] ^ (1 << bit)]) + blob[index + 1:]
    elif kind == "truncate":
        tampered = blob[:data.draw(st.integers(1, len(blob) - 1))]
    else:
        tampered = blob + data.draw(st.binary(min_size=1, max_size=16))
    code, status = refused(lambda: kms.decrypt(CiphertextBlob=tampered))
    assert (code, status) == ("InvalidCiphertextException", 400)


def test_encryption_context_must_match_exactly(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    context = {"tenant": "a", "aws-crypto-public-key": "AAAA"}
    blob = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x", EncryptionContext=context)["CiphertextBlob"]
    for wrong in ({}, {"tenant": "a"}, {**context, "extra": "1"}, {**context, "tenant": "b"},
                  {"tenant": "a", "aws-crypto-public-key": "AAAB"}):
        assert refused(lambda w=wrong: kms.decrypt(CiphertextBlob=blob, EncryptionContext=w))[0] == \
            "InvalidCiphertextException"
    reordered = {"aws-crypto-public-key": "AAAA", "tenant": "a"}
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=reordered)["Plaintext"] == b"x"
    plain = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"y")["CiphertextBlob"]
    assert refused(lambda: kms.decrypt(CiphertextBlob=plain, EncryptionContext={"a": "b"}))[0] == \
        "InvalidCiphertextException"


def test_key_usage_mismatches(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    sym, rsa_sign, mac = keys["sym"]["Arn"], keys["rsa_sign"]["Arn"], keys["hmac"]["Arn"]
    ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    cases = {
        "sign with symmetric": lambda: kms.sign(KeyId=sym, Message=b"m", SigningAlgorithm="ECDSA_SHA_256"),
        "encrypt with signing key": lambda: kms.encrypt(KeyId=rsa_sign, Plaintext=b"x"),
        "encrypt with hmac key": lambda: kms.encrypt(KeyId=mac, Plaintext=b"x"),
        "datakey with rsa": lambda: kms.generate_data_key(KeyId=keys["rsa_enc"]["Arn"], NumberOfBytes=32),
        "mac with symmetric": lambda: kms.generate_mac(KeyId=sym, Message=b"m", MacAlgorithm="HMAC_SHA_256"),
        "wrong mac algorithm": lambda: kms.generate_mac(KeyId=mac, Message=b"m", MacAlgorithm="HMAC_SHA_512"),
        "wrong curve hash": lambda: kms.sign(KeyId=ecc, Message=b"m", SigningAlgorithm="ECDSA_SHA_384"),
        "rsa algorithm on ecc": lambda: kms.sign(KeyId=ecc, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256"),
    }
    results = {name: refused(call)[0] for name, call in cases.items()}
    assert results == dict.fromkeys(cases, "InvalidKeyUsageException")
    assert refused(lambda: kms.get_public_key(KeyId=sym))[0] == "UnsupportedOperationException"
    assert refused(lambda: kms.enable_key_rotation(KeyId=ecc))[0] == "UnsupportedOperationException"
    assert refused(lambda: kms.rotate_key_on_demand(KeyId=mac))[0] == "UnsupportedOperationException"


def test_create_key_rejects_bad_combinations(kms: Any) -> None:
    assert refused(lambda: kms.create_key(KeySpec="HMAC_256", KeyUsage="ENCRYPT_DECRYPT"))[0] == "ValidationException"
    assert refused(lambda: kms.create_key(KeySpec="HMAC_256"))[0] == "ValidationException"
    assert refused(lambda: kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="ENCRYPT_DECRYPT"))[0] == \
        "ValidationException"
    assert refused(lambda: kms.create_key(KeySpec="SYMMETRIC_DEFAULT", KeyUsage="SIGN_VERIFY"))[0] == \
        "ValidationException"
    assert refused(lambda: kms.create_key(KeySpec="ML_DSA_65", KeyUsage="SIGN_VERIFY"))[0] == \
        "UnsupportedOperationException"
    assert refused(lambda: kms.create_key(Origin="EXTERNAL"))[0] == "UnsupportedOperationException"
    assert refused(lambda: kms.create_key(Tags=[{"TagKey": "aws:x", "TagValue": "y"}]))[0] == "TagException"


def test_digest_length_must_match_the_hash(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    arn = keys["rsa_sign"]["Arn"]
    assert refused(lambda: kms.sign(KeyId=arn, Message=b"\x00" * 31, MessageType="DIGEST",
                                    SigningAlgorithm="RSASSA_PSS_SHA_256"))[0] == "ValidationException"


def test_server_enforces_bounds_botocore_does_not(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    sym = keys["sym"]["Arn"]
    too_big = {
        "plaintext over 4096": lambda: kms.encrypt(KeyId=sym, Plaintext=b"x" * 4097),
        "ciphertext over 6144": lambda: kms.decrypt(CiphertextBlob=b"x" * 6145),
        "number of bytes over 1024": lambda: kms.generate_data_key(KeyId=sym, NumberOfBytes=1025),
        "random over 1024": lambda: kms.generate_random(NumberOfBytes=1025),
        "description over 8192": lambda: kms.create_key(Description="d" * 8193),
        "message over 4096": lambda: kms.generate_mac(KeyId=keys["hmac"]["Arn"], Message=b"m" * 4097,
                                                      MacAlgorithm="HMAC_SHA_256"),
        "empty signature": lambda: kms.verify(KeyId=keys["rsa_sign"]["Arn"], Message=b"m", Signature=b"",
                                              SigningAlgorithm="RSASSA_PSS_SHA_256"),
        "limit over 1000": lambda: kms.list_keys(Limit=1001),
        "both spec and size": lambda: kms.generate_data_key(KeyId=sym, NumberOfBytes=32, KeySpec="AES_256"),
        "neither spec nor size": lambda: kms.generate_data_key(KeyId=sym),
        "eleven grant tokens": lambda: kms.encrypt(KeyId=sym, Plaintext=b"x", GrantTokens=["t"] * 11),
    }
    results = {name: refused(call) for name, call in too_big.items()}
    assert results == dict.fromkeys(too_big, ("ValidationException", 400))
    # botocore never checks blob lengths, so an empty plaintext reaches the server, which refuses it.
    assert refused(lambda: kms.encrypt(KeyId=sym, Plaintext=b"")) == ("ValidationException", 400)
    with pytest.raises(ParamValidationError):
        kms.generate_random(NumberOfBytes=0)  # botocore's own min check for integers still applies
    assert kms.encrypt(KeyId=sym, Plaintext=b"x" * 4096, GrantTokens=[])["KeyId"] == sym


def test_validation_message_style(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(ClientError) as caught:
        kms.generate_random(NumberOfBytes=2000)
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must "
        "have value less than or equal to 1024")


def test_unknown_keys_and_arns(kms: Any) -> None:
    assert refused(lambda: kms.describe_key(KeyId="00000000-0000-4000-8000-000000000000"))[0] == "NotFoundException"
    assert refused(lambda: kms.encrypt(KeyId="00000000-0000-4000-8000-000000000000", Plaintext=b"x"))[0] == \
        "NotFoundException"
    assert refused(lambda: kms.describe_key(KeyId="alias/none-such"))[0] == "NotFoundException"
    other_account = "arn:aws:kms:us-east-1:999999999999:key/00000000-0000-4000-8000-000000000000"
    assert refused(lambda: kms.describe_key(KeyId=other_account))[0] == "NotFoundException"
    assert refused(lambda: kms.describe_key(KeyId="arn:aws:kms:bogus"))[0] == "InvalidArnException"


def test_alias_rules(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    sym, rsa = keys["sym"]["KeyId"], keys["rsa_sign"]["KeyId"]
    assert refused(lambda: kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=sym))[0] == \
        "InvalidAliasNameException"
    assert refused(lambda: kms.create_alias(AliasName="noprefix", TargetKeyId=sym))[0] == "InvalidAliasNameException"
    kms.create_alias(AliasName="alias/rules", TargetKeyId=sym)
    assert refused(lambda: kms.create_alias(AliasName="alias/rules", TargetKeyId=sym))[0] == "AlreadyExistsException"
    assert refused(lambda: kms.create_alias(AliasName="alias/other", TargetKeyId="alias/rules"))[0] == \
        "ValidationException"
    assert refused(lambda: kms.update_alias(AliasName="alias/rules", TargetKeyId=rsa))[0] == "ValidationException"
    assert refused(lambda: kms.update_alias(AliasName="alias/missing", TargetKeyId=sym))[0] == "NotFoundException"
    assert refused(lambda: kms.delete_alias(AliasName="alias/missing"))[0] == "NotFoundException"
    assert refused(lambda: kms.enable_key(KeyId="alias/rules"))[0] == "NotFoundException"
    kms.delete_alias(AliasName="alias/rules")


def test_alias_pagination(kms: Any, keys: dict[str, dict[str, Any]]) -> None:
    for index in range(3):
        kms.create_alias(AliasName=f"alias/page/{index}", TargetKeyId=keys["hmac"]["KeyId"])
    first = kms.list_aliases(KeyId=keys["hmac"]["KeyId"], Limit=2)
    assert len(first["Aliases"]) == 2 and first["Truncated"] is True
    rest = kms.list_aliases(KeyId=keys["hmac"]["KeyId"], Limit=2, Marker=first["NextMarker"])
    names = [a["AliasName"] for a in first["Aliases"] + rest["Aliases"]]
    assert names == ["alias/page/0", "alias/page/1", "alias/page/2"]
    assert refused(lambda: kms.list_aliases(Marker="%%%"))[0] == "InvalidMarkerException"


def test_policies_bound_to_the_access_key_apply(server: ServerProcess, kms: Any,
                                                keys: dict[str, dict[str, Any]]) -> None:
    limited = client_for(server, issue_key(server, "encrypt-only", ["kms-encrypt-only"]))
    out = limited.encrypt(KeyId=keys["sym"]["Arn"], Plaintext=b"x")
    assert out["KeyId"] == keys["sym"]["Arn"]
    assert refused(lambda: limited.decrypt(CiphertextBlob=out["CiphertextBlob"]))[0] == "AccessDeniedException"
    assert refused(lambda: limited.create_key())[0] == "AccessDeniedException"
    assert refused(lambda: limited.encrypt(KeyId=keys["sym"]["Arn"], Plaintext=b"x", DryRun=True))[0] == \
        "DryRunOperationException"
    assert refused(lambda: limited.generate_data_key(KeyId=keys["sym"]["Arn"], NumberOfBytes=32,
                                                     DryRun=True))[0] == "AccessDeniedException"


def test_dry_run_asks_about_the_exact_transit_path(server: ServerProcess, keys: dict[str, dict[str, Any]]) -> None:
    """DryRun checks the path the real call would take, so a policy written for exactly that path says yes."""
    signer = keys["rsa_sign"]["KeyId"]
    policy = (f'path "kms/keys/*" {{ capabilities = ["read"] }}\n'
              f'path "kms/sign/{signer}/sha2-256" {{ capabilities = ["update"] }}\n'
              'path "kms/datakey/wrapped/*" { capabilities = ["update"] }\n')
    with server.client() as vault:
        vault.post("sys/policy/kms-exact-paths", json={"policy": policy}).raise_for_status()
    exact = client_for(server, issue_key(server, "exact-paths", ["kms-exact-paths"]))
    assert refused(lambda: exact.sign(KeyId=signer, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256",
                                      DryRun=True))[0] == "DryRunOperationException"
    exact.sign(KeyId=signer, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256")
    assert refused(lambda: exact.sign(KeyId=signer, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_512",
                                      DryRun=True))[0] == "AccessDeniedException"
    sym = keys["sym"]["Arn"]
    assert refused(lambda: exact.generate_data_key_without_plaintext(KeyId=sym, NumberOfBytes=32, DryRun=True))[0] \
        == "DryRunOperationException"
    exact.generate_data_key_without_plaintext(KeyId=sym, NumberOfBytes=32)
    assert refused(lambda: exact.generate_data_key(KeyId=sym, NumberOfBytes=32, DryRun=True))[0] == \
        "AccessDeniedException"
