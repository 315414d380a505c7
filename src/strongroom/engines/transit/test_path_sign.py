from __future__ import annotations

import base64
import hashlib

import pytest

from strongroom.engines.transit.conftest import b64
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness

SIGNING_TYPES = ["ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "rsa-3072", "rsa-4096"]


@pytest.mark.parametrize("key_type", SIGNING_TYPES)
def test_sign_verify_round_trip(transit: EngineHarness, key_type: str) -> None:
    transit.write("keys/k", type=key_type)
    data = transit.write("sign/k", input=b64("message")).data
    assert data is not None and data["key_version"] == 1 and data["signature"].startswith("vault:v1:")
    assert transit.write("verify/k", input=b64("message"), signature=data["signature"]).data == {"valid": True}
    assert transit.write("verify/k", input=b64("other"), signature=data["signature"]).data == {"valid": False}


@pytest.mark.parametrize("options", [
    {"hash_algorithm": "sha2-512"}, {"signature_algorithm": "pkcs1v15"}, {"salt_length": "hash"},
    {"signature_algorithm": "pkcs1v15", "hash_algorithm": "sha2-384"}, {"hash_algorithm": "sha3-256"},
])
def test_rsa_options(transit: EngineHarness, options: dict[str, str]) -> None:
    transit.write("keys/r", type="rsa-2048")
    signature = transit.write("sign/r", input=b64("m"), **options).data["signature"]  # type: ignore[index]
    assert transit.write("verify/r", input=b64("m"), signature=signature, **options).data == {"valid": True}


def test_hash_in_the_path_and_prehashed(transit: EngineHarness) -> None:
    transit.write("keys/e", type="ecdsa-p384")
    digest = base64.b64encode(hashlib.sha384(b"m").digest()).decode()
    signature = transit.write("sign/e/sha2-384", input=digest, prehashed=True).data["signature"]  # type: ignore[index]
    assert transit.write("verify/e/sha2-384", input=b64("m"), signature=signature).data == {"valid": True}
    assert transit.write("verify/e", input=b64("m"), signature=signature).data == {"valid": False}
    with pytest.raises(InvalidRequest, match="cannot be signed"):
        transit.write("sign/e", input=b64("short"), prehashed=True)


def test_jws_marshaling(transit: EngineHarness) -> None:
    transit.write("keys/e", type="ecdsa-p256")
    signature = transit.write("sign/e", input=b64("m"), marshaling_algorithm="jws").data["signature"]  # type: ignore[index]
    body = signature.split(":")[2]
    assert "=" not in body and "+" not in body and "/" not in body and len(base64.urlsafe_b64decode(body + "==")) == 64
    assert transit.write("verify/e", input=b64("m"), signature=signature,
                         marshaling_algorithm="jws").data == {"valid": True}
    # RSA and Ed25519 signatures are the same bytes under jws, base64url-encoded (as OpenBao does).
    for key_type in ("rsa-2048", "ed25519"):
        transit.write(f"keys/{key_type}", type=key_type)
        jws = transit.write(f"sign/{key_type}", input=b64("m"), marshaling_algorithm="jws").data["signature"]  # type: ignore[index]
        payload = jws.split(":")[2]
        assert "=" not in payload and "+" not in payload and "/" not in payload
        assert transit.write(f"verify/{key_type}", input=b64("m"), signature=jws,
                             marshaling_algorithm="jws").data == {"valid": True}
        padded = base64.b64encode(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).decode()
        assert transit.write(f"verify/{key_type}", input=b64("m"),
                             signature=f"vault:v1:{padded}").data == {"valid": True}


def test_derived_ed25519_needs_context(transit: EngineHarness) -> None:
    transit.write("keys/d", type="ed25519", derived=True)
    with pytest.raises(InvalidRequest, match="missing 'context'"):
        transit.write("sign/d", input=b64("m"))
    signature = transit.write("sign/d", input=b64("m"), context=b64("a")).data["signature"]  # type: ignore[index]
    assert transit.write("verify/d", input=b64("m"), signature=signature, context=b64("a")).data["valid"]  # type: ignore[index]
    assert not transit.write("verify/d", input=b64("m"), signature=signature, context=b64("b")).data["valid"]  # type: ignore[index]


def test_batch_sign_and_verify(transit: EngineHarness) -> None:
    transit.write("keys/k", type="ed25519")
    signed = transit.write("sign/k", batch_input=[{"input": b64("a"), "reference": "1"}, {"input": "!!"}],
                           partial_failure_response_code=207)
    assert signed.status is None  # 200 with per-item errors, as Vault and OpenBao answer sign batches
    first, second = signed.data["batch_results"]  # type: ignore[index]
    assert first["reference"] == "1" and "error" in second
    verified = transit.write("verify/k", batch_input=[
        {"input": b64("a"), "signature": first["signature"], "reference": "x"},
        {"input": b64("b"), "signature": first["signature"]}, {"input": b64("b")}])
    assert verified.status is None
    assert [r.get("valid") for r in verified.data["batch_results"]] == [True, False, False]  # type: ignore[index]
    assert verified.data["batch_results"][2]["error"] == "missing signature or hmac to verify"  # type: ignore[index]


def test_sign_errors(transit: EngineHarness) -> None:
    transit.write("keys/aes")
    with pytest.raises(InvalidRequest, match="key type aes256-gcm96 does not support signing"):
        transit.write("sign/aes", input=b64("m"))
    with pytest.raises(InvalidRequest, match="signing key not found"):
        transit.write("sign/none", input=b64("m"))
    transit.write("keys/k", type="ed25519")
    for fields, message in [({"hash_algorithm": "md5"}, "unsupported hash"),
                            ({"marshaling_algorithm": "xml"}, "unsupported marshaling"),
                            ({"signature_algorithm": "raw"}, "unsupported signature algorithm"),
                            ({"key_version": 5}, "not available")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write("sign/k", input=b64("m"), **fields)
    with pytest.raises(InvalidRequest, match="invalid signature"):
        transit.write("verify/k", input=b64("m"), signature="nope")
    with pytest.raises(InvalidRequest, match="not both"):
        transit.write("verify/k", input=b64("m"), signature="vault:v1:AA==", hmac="vault:v1:AA==")


def test_rotation_and_min_decryption_for_signatures(transit: EngineHarness) -> None:
    transit.write("keys/k", type="ecdsa-p256")
    old = transit.write("sign/k", input=b64("m")).data["signature"]  # type: ignore[index]
    transit.write("keys/k/rotate")
    assert transit.write("sign/k", input=b64("m")).data["key_version"] == 2  # type: ignore[index]
    assert transit.write("verify/k", input=b64("m"), signature=old).data == {"valid": True}
    transit.write("keys/k/config", min_decryption_version=2)
    with pytest.raises(InvalidRequest, match="too old"):
        transit.write("verify/k", input=b64("m"), signature=old)


def test_hmac_and_verify(transit: EngineHarness) -> None:
    transit.write("keys/k")
    mac = transit.write("hmac/k", input=b64("m")).data["hmac"]  # type: ignore[index]
    assert mac.startswith("vault:v1:") and len(base64.b64decode(mac.split(":")[2])) == 32
    assert transit.write("verify/k", input=b64("m"), hmac=mac).data == {"valid": True}
    assert transit.write("verify/k", input=b64("x"), hmac=mac).data == {"valid": False}
    mac512 = transit.write("hmac/k/sha2-512", input=b64("m")).data["hmac"]  # type: ignore[index]
    assert transit.write("verify/k/sha2-512", input=b64("m"), hmac=mac512).data == {"valid": True}
    assert transit.write("verify/k", input=b64("m"), hmac=mac512).data == {"valid": False}
    batch = transit.write("hmac/k", batch_input=[{"input": b64("a"), "reference": "r"}, {"reference": "q"}])
    assert batch.status is None and batch.data["batch_results"][0]["reference"] == "r"  # type: ignore[index]
    assert batch.data["batch_results"][1]["error"] == "missing input for HMAC"  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="unsupported algorithm"):
        transit.write("hmac/k/md5", input=b64("m"))
    with pytest.raises(InvalidRequest, match="HMAC key not found"):
        transit.write("hmac/none", input=b64("m"))
    with pytest.raises(InvalidRequest, match="invalid HMAC"):
        transit.write("verify/k", input=b64("m"), hmac="junk")


def test_hmac_type_keys_and_versions(transit: EngineHarness) -> None:
    transit.write("keys/h", type="hmac", key_size=32)
    mac = transit.write("hmac/h", input=b64("m"), key_version=1).data["hmac"]  # type: ignore[index]
    assert transit.write("verify/h", input=b64("m"), hmac=mac).data == {"valid": True}
    transit.write("keys/h/rotate")
    with pytest.raises(InvalidRequest, match="too new"):
        transit.write("hmac/h", input=b64("m"), key_version=3)
    transit.write("keys/h/config", min_encryption_version=2)
    with pytest.raises(InvalidRequest, match="too old"):
        transit.write("hmac/h", input=b64("m"), key_version=1)


def test_random_and_hash(transit: EngineHarness) -> None:
    assert len(base64.b64decode(transit.write("random").data["random_bytes"])) == 32  # type: ignore[index]
    assert len(transit.write("random/16", format="hex").data["random_bytes"]) == 32  # type: ignore[index]
    assert len(base64.b64decode(transit.write("random/platform/8").data["random_bytes"])) == 8  # type: ignore[index]
    for path, fields, message in [("random/x", {}, "byte count"), ("random", {"bytes": 0}, "missing bytes"),
                                  ("random", {"bytes": 10**7}, "cannot be more"),
                                  ("random", {"format": "oct"}, "unsupported encoding"),
                                  ("random", {"source": "moon"}, "entropy source")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write(path, **fields)
    assert transit.write("hash", input=b64("abc")).data == {"sum": hashlib.sha256(b"abc").hexdigest()}
    assert transit.write("hash/sha3-512", input=b64("abc"), format="base64").data == {
        "sum": base64.b64encode(hashlib.sha3_512(b"abc").digest()).decode()}
    with pytest.raises(InvalidRequest, match="unsupported algorithm"):
        transit.write("hash/md5", input=b64("abc"))
    with pytest.raises(InvalidRequest, match="unsupported encoding"):
        transit.write("hash", input=b64("abc"), format="oct")
