"""Known answers through the engine: published keys brought in with BYOK import, then the published ciphertexts,
signatures and MACs checked through transit's own paths and `vault:v1:` envelope, for every key family."""

from __future__ import annotations

import base64
from functools import cache

import pytest

from strongroom.crypto.asymmetric import PrivateKey, PublicKey
from strongroom.crypto.keywrap import wrap
from strongroom.crypto.test_asymmetric import RFC6979, RFC8032, ec_pkcs8, ecdsa_signatures
from strongroom.crypto.test_symmetric import (
    GCM_AAD,
    GCM_CASES,
    GCM_IV,
    GCM_PLAINTEXT,
    RFC8439_AAD,
    RFC8439_CIPHERTEXT,
    RFC8439_KEY,
    RFC8439_NONCE,
    RFC8439_PLAINTEXT,
    RFC8439_TAG,
)
from strongroom.engines.transit.conftest import b64
from strongroom.keys import DECRYPTION_FAILED
from strongroom.keys.export import WRAPPING_KEY_PATH
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness


@cache
def _wrapping_key() -> bytes:
    """One RSA-4096 wrapping key for the whole module (made once: generating one per test is slow)."""
    return PrivateKey.generate("rsa-4096").pkcs8()


def _import(transit: EngineHarness, name: str, key_type: str, material: bytes) -> None:
    transit.storage.put(WRAPPING_KEY_PATH, _wrapping_key())
    pem = transit.read("wrapping_key").data["public_key"]  # type: ignore[index]
    wrapped = base64.b64encode(wrap(PublicKey.load("rsa-4096", pem.encode()), material)).decode()
    assert transit.write(f"keys/{name}/import", ciphertext=wrapped, type=key_type).is_empty()


@pytest.mark.parametrize(("key_type", "key", "blob", "aad", "plaintext"), [
    ("aes128-gcm96", GCM_CASES[0][0], GCM_IV + bytes.fromhex(GCM_CASES[0][1] + GCM_CASES[0][2]), GCM_AAD,
     GCM_PLAINTEXT),
    ("aes256-gcm96", GCM_CASES[1][0], GCM_IV + bytes.fromhex(GCM_CASES[1][1] + GCM_CASES[1][2]), GCM_AAD,
     GCM_PLAINTEXT),
    ("chacha20-poly1305", RFC8439_KEY.hex(), RFC8439_NONCE + RFC8439_CIPHERTEXT + RFC8439_TAG, RFC8439_AAD,
     RFC8439_PLAINTEXT),
])
def test_published_aead_ciphertexts_decrypt(transit: EngineHarness, key_type: str, key: str, blob: bytes,
                                            aad: bytes, plaintext: bytes) -> None:
    _import(transit, "kat", key_type, bytes.fromhex(key))
    ciphertext = f"vault:v1:{b64(blob)}"
    opened = transit.write("decrypt/kat", ciphertext=ciphertext, associated_data=b64(aad)).data
    assert opened == {"plaintext": b64(plaintext)}
    with pytest.raises(InvalidRequest, match=DECRYPTION_FAILED):
        transit.write("decrypt/kat", ciphertext=ciphertext, associated_data=b64(aad[:-1]))
    # What the engine seals under the same key opens with the published cipher too.
    sealed = transit.write("encrypt/kat", plaintext=b64(plaintext), associated_data=b64(aad)).data
    assert transit.write("decrypt/kat", ciphertext=sealed["ciphertext"],  # type: ignore[index]
                         associated_data=b64(aad)).data == opened


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_rfc8032_ed25519_signatures_through_the_engine(transit: EngineHarness, secret: str, public: str,
                                                       message: str, signature: str) -> None:
    _import(transit, "ed", "ed25519", PrivateKey.from_ed25519_seed(bytes.fromhex(secret)).pkcs8())
    assert transit.read("keys/ed").data["keys"]["1"]["public_key"] == b64(bytes.fromhex(public))  # type: ignore[index]
    signed = transit.write("sign/ed", input=b64(bytes.fromhex(message))).data
    assert signed == {"signature": f"vault:v1:{b64(bytes.fromhex(signature))}", "key_version": 1}


@pytest.mark.parametrize(("kind", "scalar", "public_x", "hash_name", "r", "s"), RFC6979)
def test_rfc6979_ecdsa_signatures_verify_through_the_engine(transit: EngineHarness, kind: str, scalar: str,
                                                            public_x: str, hash_name: str, r: str, s: str) -> None:
    _import(transit, "ec", kind, ec_pkcs8(kind, scalar)[0])
    der_bytes, jws_bytes = ecdsa_signatures(kind, r, s)
    der = f"vault:v1:{b64(der_bytes)}"
    assert transit.write(f"verify/ec/{hash_name}", input=b64("sample"), signature=der).data == {"valid": True}
    assert transit.write(f"verify/ec/{hash_name}", input=b64("samplE"), signature=der).data == {"valid": False}
    jws = base64.urlsafe_b64encode(jws_bytes).decode().rstrip("=")
    assert transit.write("verify/ec", input=b64("sample"), hash_algorithm=hash_name, marshaling_algorithm="jws",
                         signature=f"vault:v1:{jws}").data == {"valid": True}


# RFC 4231 test case 6: a 131-byte key (larger than the block) over "Test Using Larger Than Block-Size Key - ...".
RFC4231_CASE_6 = {
    "sha2-256": "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    "sha2-512": "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e52"
                "95e64f73f63f0aec8b915a985d786598",
}


@pytest.mark.parametrize(("algorithm", "expected"), RFC4231_CASE_6.items())
def test_rfc4231_hmac_through_the_engine(transit: EngineHarness, algorithm: str, expected: str) -> None:
    _import(transit, "mac", "hmac", b"\xaa" * 131)
    data = b64("Test Using Larger Than Block-Size Key - Hash Key First")
    mac = f"vault:v1:{b64(bytes.fromhex(expected))}"
    assert transit.write(f"hmac/mac/{algorithm}", input=data).data == {"hmac": mac}
    assert transit.write(f"verify/mac/{algorithm}", input=data, hmac=mac).data == {"valid": True}
