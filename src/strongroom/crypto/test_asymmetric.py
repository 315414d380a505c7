from __future__ import annotations

import base64
import hashlib
from functools import cache

import pytest

from strongroom.crypto.asymmetric import KeyFormatError, PrivateKey, PublicKey, SignOptions, curve_name

# RFC 8032 section 7.1, tests 1 and 2: (secret, public, message, signature).
RFC8032 = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
     "24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
     "eeb00d291612bb0c00"),
]


@cache
def key_of(kind: str) -> PrivateKey:
    return PrivateKey.generate(kind)


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_rfc8032_ed25519_vectors(secret: str, public: str, message: str, signature: str) -> None:
    key = PrivateKey.from_ed25519_seed(bytes.fromhex(secret))
    assert key.public.raw().hex() == public
    assert key.sign(bytes.fromhex(message), SignOptions()).hex() == signature
    assert key.public.verify(bytes.fromhex(message), bytes.fromhex(signature), SignOptions())
    assert not key.public.verify(b"other", bytes.fromhex(signature), SignOptions())


@pytest.mark.parametrize("kind", ["ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ecdsa-secp256k1", "rsa-2048"])
def test_pkcs8_round_trip_and_sign_verify(kind: str) -> None:
    key = key_of(kind)
    loaded = PrivateKey.load(kind, key.pkcs8())
    signature = loaded.sign(b"message", SignOptions())
    assert key.public.verify(b"message", signature, SignOptions())
    assert not key.public.verify(b"messagf", signature, SignOptions())
    assert PublicKey.load(kind, key.public.der()).der() == key.public.der()
    assert PublicKey.load(kind, key.public.pem().encode()).der() == key.public.der()


def test_kind_mismatch_is_refused() -> None:
    with pytest.raises(KeyFormatError):
        PrivateKey.load("ecdsa-p384", key_of("ecdsa-p256").pkcs8())
    with pytest.raises(KeyFormatError):
        PrivateKey.load("rsa-3072", key_of("rsa-2048").pkcs8())
    with pytest.raises(KeyFormatError):
        PrivateKey.load("ed25519", b"garbage")
    with pytest.raises(KeyFormatError):
        PublicKey.load("ed25519", b"garbage")
    with pytest.raises(KeyFormatError):
        PrivateKey.generate("dsa-1024")


@pytest.mark.parametrize("hash_name", ["sha2-256", "sha2-384", "sha2-512", "sha3-256"])
def test_ecdsa_jws_and_prehashed(hash_name: str) -> None:
    key = key_of("ecdsa-p521")
    jws = SignOptions(hash_algorithm=hash_name, marshaling="jws")
    signature = key.sign(b"data", jws)
    assert len(signature) == 2 * 66
    assert key.public.verify(b"data", signature, jws)
    assert not key.public.verify(b"data", signature[:-1], jws)
    assert not key.public.verify(b"data", signature, SignOptions(hash_algorithm=hash_name))
    algorithm = {"sha2-256": "sha256", "sha2-384": "sha384", "sha2-512": "sha512", "sha3-256": "sha3_256"}[hash_name]
    digest = hashlib.new(algorithm, b"data").digest()
    prehashed = SignOptions(hash_algorithm=hash_name, prehashed=True)
    assert key.public.verify(digest, key.sign(digest, prehashed), prehashed)
    assert key.public.verify(b"data", key.sign(digest, prehashed), SignOptions(hash_algorithm=hash_name))


@pytest.mark.parametrize("options", [
    SignOptions(), SignOptions(salt_length="hash"), SignOptions(salt_length="20"),
    SignOptions(signature_algorithm="pkcs1v15", hash_algorithm="sha2-512"),
    SignOptions(signature_algorithm="pkcs1v15", hash_algorithm="sha1"),
])
def test_rsa_signature_variants(options: SignOptions) -> None:
    key = key_of("rsa-2048")
    assert key.public.verify(b"data", key.sign(b"data", options), options)


def test_rsa_bad_options_and_prehash_length() -> None:
    key = key_of("rsa-2048")
    with pytest.raises(KeyFormatError):
        key.sign(b"data", SignOptions(signature_algorithm="raw"))
    with pytest.raises(KeyFormatError):
        key.sign(b"data", SignOptions(salt_length="-1"))
    with pytest.raises(KeyFormatError):
        key.sign(b"data", SignOptions(salt_length="lots"))
    with pytest.raises(KeyFormatError):
        key.sign(b"short", SignOptions(prehashed=True))
    with pytest.raises(KeyFormatError):
        key.sign(b"data", SignOptions(hash_algorithm="md5"))
    with pytest.raises(KeyFormatError):
        key_of("ed25519").sign(b"x" * 32, SignOptions(prehashed=True))


def test_rsa_oaep_round_trip_and_failures() -> None:
    key = key_of("rsa-2048")
    ciphertext = key.public.encrypt(b"secret")
    assert key.decrypt(ciphertext) == b"secret"
    with pytest.raises(ValueError):
        key.decrypt(ciphertext[:-1] + bytes([ciphertext[-1] ^ 1]))
    with pytest.raises(ValueError):
        key.public.encrypt(b"x" * 300)
    with pytest.raises(KeyFormatError):
        key_of("ecdsa-p256").public.encrypt(b"x")
    with pytest.raises(KeyFormatError):
        key_of("ecdsa-p256").decrypt(b"x")


def test_vault_export_encodings() -> None:
    rsa_key = key_of("rsa-2048")
    assert rsa_key.export("").startswith("-----BEGIN RSA PRIVATE KEY-----") and rsa_key.export("").endswith("\n")
    assert rsa_key.export("pem").startswith("-----BEGIN PRIVATE KEY-----")
    assert base64.b64decode(rsa_key.export("der")) == rsa_key.pkcs8()
    assert rsa_key.public.export("").endswith("-----END PUBLIC KEY-----\n")
    assert base64.b64decode(rsa_key.public.export("der")) == rsa_key.public.der()
    ec_key = key_of("ecdsa-p256")
    assert ec_key.export("").startswith("-----BEGIN EC PRIVATE KEY-----") and ec_key.export("").endswith("-----")
    assert ec_key.public.export("pem") == ec_key.public.pem() == ec_key.public.display()
    ed = key_of("ed25519")
    assert base64.b64decode(ed.export("")) == ed.ed25519_seed() + ed.public.raw()
    assert ed.export("raw") == ed.export("")
    assert ed.public.export("raw") == base64.b64encode(ed.public.raw()).decode() == ed.public.display()
    assert ed.public.export("pem").startswith("-----BEGIN PUBLIC KEY-----")
    for bad in (lambda: rsa_key.export("raw"), lambda: ec_key.public.export("raw"), lambda: ec_key.public.raw(),
                lambda: ec_key.ed25519_seed()):
        with pytest.raises(KeyFormatError):
            bad()


def test_curve_names() -> None:
    assert curve_name("ecdsa-p384") == "P-384"
    assert curve_name("rsa-2048") == "rsa-2048"
