"""Every supported operation through boto3 against a running server, checked for AWS's shapes and semantics."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from kms_support import error_code

ARN_PREFIX = "arn:aws:kms:us-east-1:123456789012:key/"


def test_create_and_describe_symmetric(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key(Description="orders", Tags=[{"TagKey": "team", "TagValue": "pay"}])
    assert meta["Arn"] == ARN_PREFIX + meta["KeyId"]
    assert not meta["KeyId"].startswith("mrk-")
    assert meta["KeySpec"] == meta["CustomerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert meta["KeyUsage"] == "ENCRYPT_DECRYPT" and meta["KeyState"] == "Enabled" and meta["Enabled"]
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["KeyManager"] == "CUSTOMER" and meta["Origin"] == "AWS_KMS" and meta["AWSAccountId"] == "123456789012"
    described = kms.describe_key(KeyId=meta["Arn"])["KeyMetadata"]
    assert described["Description"] == "orders"
    assert described["CreationDate"] == meta["CreationDate"]


def test_encrypt_decrypt_round_trip_with_context(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    out = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"secret", EncryptionContext={"purpose": "test"})
    assert out["KeyId"] == meta["Arn"] and out["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"purpose": "test"})
    assert back["Plaintext"] == b"secret" and back["KeyId"] == meta["Arn"]
    named = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], KeyId=meta["Arn"], GrantTokens=[],
                        EncryptionContext={"purpose": "test"})
    assert named["Plaintext"] == b"secret"


def test_generate_data_keys(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    for kwargs, size in (({"NumberOfBytes": 32}, 32), ({"KeySpec": "AES_128"}, 16), ({"KeySpec": "AES_256"}, 32),
                         ({"NumberOfBytes": 1}, 1), ({"NumberOfBytes": 1024}, 1024), ({"NumberOfBytes": 64}, 64)):
        out = kms.generate_data_key(KeyId=meta["Arn"], EncryptionContext={"k": "v"}, **kwargs)
        assert len(out["Plaintext"]) == size and out["KeyId"] == meta["Arn"]
        back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"k": "v"})
        assert back["Plaintext"] == out["Plaintext"]
    wrapped = kms.generate_data_key_without_plaintext(KeyId=meta["KeyId"], NumberOfBytes=32)
    assert "Plaintext" not in wrapped
    assert len(kms.decrypt(CiphertextBlob=wrapped["CiphertextBlob"])["Plaintext"]) == 32


@pytest.mark.parametrize("spec", ["RSA_2048", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_SECG_P256K1"])
def test_generate_data_key_pair(kms: Any, new_key: Callable[..., dict[str, Any]], spec: str) -> None:
    meta = new_key()
    pair = kms.generate_data_key_pair(KeyId=meta["Arn"], KeyPairSpec=spec, EncryptionContext={"a": "b"})
    assert pair["KeyPairSpec"] == spec and pair["KeyId"] == meta["Arn"]
    private = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], None)
    public = serialization.load_der_public_key(pair["PublicKey"])
    assert private.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo) == pair["PublicKey"]
    assert isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    opened = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"], EncryptionContext={"a": "b"})
    assert opened["Plaintext"] == pair["PrivateKeyPlaintext"]
    bare = kms.generate_data_key_pair_without_plaintext(KeyId=meta["Arn"], KeyPairSpec=spec)
    assert "PrivateKeyPlaintext" not in bare and bare["PublicKey"]


def test_re_encrypt_between_keys(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    first, second = new_key(), new_key()
    blob = kms.encrypt(KeyId=first["Arn"], Plaintext=b"move me", EncryptionContext={"a": "1"})["CiphertextBlob"]
    out = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "1"}, DestinationKeyId=second["Arn"],
                         DestinationEncryptionContext={"b": "2"})
    assert out["SourceKeyId"] == first["Arn"] and out["KeyId"] == second["Arn"]
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"b": "2"})["Plaintext"] == b"move me"


def test_generate_random(kms: Any) -> None:
    assert len(kms.generate_random(NumberOfBytes=1)["Plaintext"]) == 1
    assert len(kms.generate_random(NumberOfBytes=1024)["Plaintext"]) == 1024
    assert kms.generate_random(NumberOfBytes=32)["Plaintext"] != kms.generate_random(NumberOfBytes=32)["Plaintext"]


_HASHES = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}


@pytest.mark.parametrize(("spec", "algorithm"), [
    ("RSA_2048", "RSASSA_PSS_SHA_256"), ("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_384"), ("RSA_3072", "RSASSA_PSS_SHA_512"),
    ("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384"), ("ECC_NIST_P521", "ECDSA_SHA_512"),
    ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
])
def test_sign_verify_cross_checked_locally(kms: Any, new_key: Callable[..., dict[str, Any]], spec: str,
                                           algorithm: str) -> None:
    meta = new_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")
    assert algorithm in meta["SigningAlgorithms"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=meta["Arn"])["PublicKey"])
    digest = _HASHES[algorithm.rsplit("_", 1)[1]]
    message = b"the message"
    for message_type, payload in (("RAW", message), ("DIGEST", _digest(digest, message))):
        signature = kms.sign(KeyId=meta["Arn"], Message=payload, MessageType=message_type,
                             SigningAlgorithm=algorithm)["Signature"]
        if isinstance(public, rsa.RSAPublicKey):
            pad = (padding.PSS(padding.MGF1(digest), digest.digest_size) if "PSS" in algorithm
                   else padding.PKCS1v15())
            public.verify(signature, message, pad, digest)
        else:
            assert isinstance(public, ec.EllipticCurvePublicKey)
            public.verify(signature, message, ec.ECDSA(digest))
        verified = kms.verify(KeyId=meta["Arn"], Message=payload, MessageType=message_type, Signature=signature,
                              SigningAlgorithm=algorithm)
        assert verified["SignatureValid"] is True and verified["KeyId"] == meta["Arn"]
    with pytest.raises(ClientError) as caught:
        kms.verify(KeyId=meta["Arn"], Message=b"other message", Signature=signature, SigningAlgorithm=algorithm)
    assert error_code(caught.value) == "KMSInvalidSignatureException"


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    h = hashes.Hash(algorithm)
    h.update(data)
    return h.finalize()


@pytest.mark.parametrize(("algorithm", "digest"), [("RSAES_OAEP_SHA_256", hashes.SHA256),
                                                 ("RSAES_OAEP_SHA_1", hashes.SHA1)])
def test_rsa_encryption_with_local_public_key(kms: Any, new_key: Callable[..., dict[str, Any]], algorithm: str,
                                              digest: type[hashes.HashAlgorithm]) -> None:
    meta = new_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")
    assert meta["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=meta["KeyId"])["PublicKey"])
    assert isinstance(public, rsa.RSAPublicKey)
    local = public.encrypt(b"from outside", padding.OAEP(padding.MGF1(digest()), digest(), None))
    out = kms.decrypt(CiphertextBlob=local, KeyId=meta["Arn"], EncryptionAlgorithm=algorithm)
    assert out["Plaintext"] == b"from outside" and out["KeyId"] == meta["Arn"]
    assert out["EncryptionAlgorithm"] == algorithm
    other = "RSAES_OAEP_SHA_1" if algorithm == "RSAES_OAEP_SHA_256" else "RSAES_OAEP_SHA_256"
    with pytest.raises(ClientError) as caught:  # the OAEP hash is part of the ciphertext's meaning
        kms.decrypt(CiphertextBlob=local, KeyId=meta["Arn"], EncryptionAlgorithm=other)
    assert error_code(caught.value) == "InvalidCiphertextException"
    server = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x", EncryptionAlgorithm=algorithm)
    assert kms.decrypt(CiphertextBlob=server["CiphertextBlob"], KeyId=meta["Arn"],
                       EncryptionAlgorithm=algorithm)["Plaintext"] == b"x"
    moved = kms.re_encrypt(CiphertextBlob=server["CiphertextBlob"], SourceKeyId=meta["Arn"],
                           SourceEncryptionAlgorithm=algorithm, DestinationKeyId=meta["Arn"],
                           DestinationEncryptionAlgorithm=other)
    assert kms.decrypt(CiphertextBlob=moved["CiphertextBlob"], KeyId=meta["Arn"],
                       EncryptionAlgorithm=other)["Plaintext"] == b"x"


@pytest.mark.parametrize("spec", ["HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"])
def test_mac(kms: Any, new_key: Callable[..., dict[str, Any]], spec: str) -> None:
    meta = new_key(KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")
    algorithm = "HMAC_SHA_" + spec.split("_")[1]
    assert meta["MacAlgorithms"] == [algorithm]
    mac = kms.generate_mac(KeyId=meta["Arn"], Message=b"msg", MacAlgorithm=algorithm)
    assert mac["KeyId"] == meta["Arn"] and len(mac["Mac"]) == hashlib.new("sha" + spec.split("_")[1]).digest_size
    ok = kms.verify_mac(KeyId=meta["Arn"], Message=b"msg", MacAlgorithm=algorithm, Mac=mac["Mac"])
    assert ok["MacValid"] is True
    with pytest.raises(ClientError) as caught:
        kms.verify_mac(KeyId=meta["Arn"], Message=b"msh", MacAlgorithm=algorithm, Mac=mac["Mac"])
    assert error_code(caught.value) == "KMSInvalidMacException"


def test_list_keys_paginates(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    for _ in range(3):
        new_key()
    first = kms.list_keys(Limit=2)
    assert len(first["Keys"]) == 2 and first["Truncated"] is True
    seen = {k["KeyId"] for k in first["Keys"]}
    marker = first["NextMarker"]
    while marker:
        page = kms.list_keys(Limit=2, Marker=marker)
        seen |= {k["KeyId"] for k in page["Keys"]}
        marker = page.get("NextMarker")
    everything = {k["KeyId"] for k in kms.get_paginator("list_keys").paginate().build_full_result()["Keys"]}
    assert seen == everything
    assert all(k["KeyArn"] == ARN_PREFIX + k["KeyId"] for k in first["Keys"])


def test_enable_disable(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    kms.disable_key(KeyId=meta["KeyId"])
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=meta["Arn"])
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["Enabled"] is True


def test_schedule_and_cancel_deletion(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    out = kms.schedule_key_deletion(KeyId=meta["KeyId"])
    assert out["KeyState"] == "PendingDeletion" and out["PendingWindowInDays"] == 30 and out["KeyId"] == meta["Arn"]
    described = kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
    assert described["KeyState"] == "PendingDeletion" and described["PendingDeletionWindowInDays"] == 30
    assert described["DeletionDate"] == out["DeletionDate"]
    assert kms.cancel_key_deletion(KeyId=meta["KeyId"])["KeyId"] == meta["Arn"]
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    seven = kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    assert (seven["DeletionDate"] - described["CreationDate"]).days in (6, 7)


def test_update_description(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key(Description="before")
    kms.update_key_description(KeyId=meta["KeyId"], Description="after")
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["Description"] == "after"


def test_rotation(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    old = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"v1")["CiphertextBlob"]
    assert kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=meta["KeyId"], RotationPeriodInDays=90)
    status = kms.get_key_rotation_status(KeyId=meta["Arn"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 90 and status["NextRotationDate"]
    kms.disable_key_rotation(KeyId=meta["KeyId"])
    assert kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"] is False
    assert kms.list_key_rotations(KeyId=meta["KeyId"])["Rotations"] == []
    assert kms.rotate_key_on_demand(KeyId=meta["KeyId"])["KeyId"] == meta["Arn"]
    kms.rotate_key_on_demand(KeyId=meta["KeyId"])
    rotations = kms.list_key_rotations(KeyId=meta["KeyId"])["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND", "ON_DEMAND"]
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"v1"
    new = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"v3")["CiphertextBlob"]
    assert new[:4] == old[:4] and kms.decrypt(CiphertextBlob=new)["Plaintext"] == b"v3"
    paged = kms.list_key_rotations(KeyId=meta["KeyId"], Limit=1)
    assert len(paged["Rotations"]) == 1 and paged["Truncated"] is True


def test_aliases(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    first, second = new_key(), new_key()
    kms.create_alias(AliasName="alias/tour/app", TargetKeyId=first["KeyId"])
    blob = kms.encrypt(KeyId="alias/tour/app", Plaintext=b"a")
    assert blob["KeyId"] == first["Arn"]
    arn_alias = "arn:aws:kms:us-east-1:123456789012:alias/tour/app"
    assert kms.describe_key(KeyId=arn_alias)["KeyMetadata"]["KeyId"] == first["KeyId"]
    listed = kms.list_aliases(KeyId=first["KeyId"])["Aliases"]
    assert [(a["AliasName"], a["AliasArn"], a["TargetKeyId"]) for a in listed] == [
        ("alias/tour/app", arn_alias, first["KeyId"])]
    kms.update_alias(AliasName="alias/tour/app", TargetKeyId=second["Arn"])
    assert kms.describe_key(KeyId="alias/tour/app")["KeyMetadata"]["KeyId"] == second["KeyId"]
    assert kms.decrypt(CiphertextBlob=blob["CiphertextBlob"])["Plaintext"] == b"a"
    with pytest.raises(ClientError) as caught:
        kms.decrypt(CiphertextBlob=blob["CiphertextBlob"], KeyId="alias/tour/app")
    assert error_code(caught.value) == "IncorrectKeyException"
    assert any(a["AliasName"] == "alias/tour/app" for a in kms.list_aliases()["Aliases"])
    kms.delete_alias(AliasName="alias/tour/app")
    with pytest.raises(ClientError) as caught:
        kms.describe_key(KeyId="alias/tour/app")
    assert error_code(caught.value) == "NotFoundException"


def test_tags(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key(Tags=[{"TagKey": "a", "TagValue": "1"}])
    kms.tag_resource(KeyId=meta["KeyId"], Tags=[{"TagKey": "b", "TagValue": "2"}, {"TagKey": "a", "TagValue": "3"}])
    assert kms.list_resource_tags(KeyId=meta["KeyId"])["Tags"] == [
        {"TagKey": "a", "TagValue": "3"}, {"TagKey": "b", "TagValue": "2"}]
    kms.untag_resource(KeyId=meta["Arn"], TagKeys=["a"])
    assert kms.list_resource_tags(KeyId=meta["KeyId"])["Tags"] == [{"TagKey": "b", "TagValue": "2"}]
    page = kms.list_resource_tags(KeyId=meta["KeyId"], Limit=1)
    assert page["Truncated"] is False


def test_key_policies(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    import json

    meta = new_key()
    default = json.loads(kms.get_key_policy(KeyId=meta["KeyId"], PolicyName="default")["Policy"])
    assert default == {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]}
    custom = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
                                                                 "Action": "kms:Decrypt", "Resource": "*"}]})
    kms.put_key_policy(KeyId=meta["KeyId"], PolicyName="default", Policy=custom)
    assert kms.get_key_policy(KeyId=meta["Arn"])["Policy"] == custom
    assert kms.list_key_policies(KeyId=meta["KeyId"])["PolicyNames"] == ["default"]
    with pytest.raises(ClientError) as caught:
        kms.put_key_policy(KeyId=meta["KeyId"], Policy="{not json")
    assert error_code(caught.value) == "MalformedPolicyDocumentException"
    with pytest.raises(ClientError) as caught:
        kms.create_key(Policy='{"Statement": []}')
    assert error_code(caught.value) == "MalformedPolicyDocumentException"


def test_dry_run(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    blob = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x")["CiphertextBlob"]
    for call in (lambda: kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x", DryRun=True),
                 lambda: kms.decrypt(CiphertextBlob=blob, DryRun=True),
                 lambda: kms.generate_data_key(KeyId=meta["Arn"], NumberOfBytes=32, DryRun=True)):
        with pytest.raises(ClientError) as caught:
            call()
        assert error_code(caught.value) == "DryRunOperationException"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    kms.disable_key(KeyId=meta["KeyId"])
    with pytest.raises(ClientError) as caught:
        kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x", DryRun=True)
    assert error_code(caught.value) == "DisabledException"


def test_base64_blob_is_ours(kms: Any, new_key: Callable[..., dict[str, Any]]) -> None:
    meta = new_key()
    blob = kms.encrypt(KeyId=meta["Arn"], Plaintext=b"x")["CiphertextBlob"]
    assert base64.b64encode(blob).startswith(b"U1JL")
