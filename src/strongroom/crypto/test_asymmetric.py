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


# RFC 6979 appendix A.2.5-A.2.7: (kind, private scalar x, public Ux, hash, r, s) for the message "sample".
RFC6979 = [
    ("ecdsa-p256", "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
     "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", "sha2-256",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
    ("ecdsa-p384", "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5",
     "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13", "sha2-384",
     "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46",
     "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8"),
    ("ecdsa-p521",
     "0FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0"
     "C08B0E996B83538",
     "1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCA"
     "C474B9A2F5023A4", "sha2-512",
     "0C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B1"
     "5BF05EC36E377FA",
     "0617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997"
     "F1EE0E44DA4A67A"),
]


def ec_pkcs8(kind: str, scalar: str) -> tuple[bytes, int]:
    """(PKCS#8 DER, public x) of the EC key with the given private scalar (hex); the engine's tests use it too."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    curve = {"ecdsa-p256": ec.SECP256R1(), "ecdsa-p384": ec.SECP384R1(), "ecdsa-p521": ec.SECP521R1()}[kind]
    raw = ec.derive_private_key(int(scalar, 16), curve)
    der = raw.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return der, raw.public_key().public_numbers().x


def ecdsa_signatures(kind: str, r: str, s: str) -> tuple[bytes, bytes]:
    """(ASN.1 DER, JWS r || s) encodings of a signature given as hex r and s."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    size = {"ecdsa-p256": 32, "ecdsa-p384": 48, "ecdsa-p521": 66}[kind]
    return (encode_dss_signature(int(r, 16), int(s, 16)),
            int(r, 16).to_bytes(size, "big") + int(s, 16).to_bytes(size, "big"))


@pytest.mark.parametrize(("kind", "scalar", "public_x", "hash_name", "r", "s"), RFC6979)
def test_rfc6979_ecdsa_vectors_verify(kind: str, scalar: str, public_x: str, hash_name: str, r: str, s: str) -> None:
    pkcs8, x = ec_pkcs8(kind, scalar)
    key = PrivateKey.load(kind, pkcs8)
    assert x == int(public_x, 16)
    der, jws = ecdsa_signatures(kind, r, s)
    options = SignOptions(hash_algorithm=hash_name)
    assert key.public.verify(b"sample", der, options)
    assert key.public.verify(b"sample", jws, SignOptions(hash_algorithm=hash_name, marshaling="jws"))
    digest = hashlib.new(hash_name.replace("sha2-", "sha"), b"sample").digest()
    assert key.public.verify(digest, der, SignOptions(hash_algorithm=hash_name, prehashed=True))
    assert not key.public.verify(b"samplf", der, options)
    assert not key.public.verify(b"sample", der, SignOptions(hash_algorithm="sha2-224"))
    # Our own signatures over the same message verify under the published public key too.
    assert key.public.verify(b"sample", key.sign(b"sample", options), options)


# NIST CAVS SigGen15_186-3 (PKCS#1 v1.5), [mod = 2048], the first SHA-256 case: (n, e, message, signature).
SIGGEN15_2048_SHA256 = (
    "a564d3d06be468a46958d56bb4884e2c4c28f538b7e15df35330505177789d3e1d792ad7aec7fc80a8cccf7ed4030471100401724bd4636a8a"
    "8244180cc655e256c00e778efe8bea55ab52d3a557075e35039d687cc0755b939a44a73033a0a6f09d2d6ae7e6593380718be00814d20567b1"
    "d7d48b633735e423017ff0a7b406d822f45fbb4d234028ca78abb702b18fcce13d2f69148ef584e9aaf283caab38f6946d342d600c6e77b737"
    "0a05ff302e5483b0faad3103d0b3e8c9c8e9eca1d4a871bdbd09585eb00dc3a488271cf6a3b767e68ea9bd2c83e8c89fd047f17915cf6a4c05"
    "bb9222b7e4470df5f3f1a28324c1aafcbb2236d2293041d128b0e15f",
    0x1001,
    "8f51ec6359d7efe1898274fa89ea4a91b8bbf95e05fef84bbc9a201e9f1a615939b0b45e6f7a50d7580521554f1076374692face5dfee5bfb3"
    "c573a87b1c96065301e756d278e37a601b545f4bd10ddd17dedade151cb7c33787400322ff6915854a6f91a9590f924accf55ea6b87749d3a7"
    "83d655e0d620f0e96f78bb4b4450",
    "795B0D51721469DCDF14DF08EACAA83AF79C2734226B3C8E048CBC4BD44ED7DC6C1EFAEFE1C71F017A87641827A0D3AF287E8C27EFA7CEBFC9"
    "435EFC7F6EAB1E373551887217D08313E8AE5EF0B0EFCB87C49C1F2898FCC117AC7DB229D34BD4AC39A4F91377F4B5A038338E7D4CF530E4E0"
    "0FF67BF257E27E55FA6D2C0EB21AD0BCFD65F9EA760A440CAB4F904D4B817604289BC8FF96FB07C0A23B5D31ABFFA706241D47FB42EF09B7BE"
    "C820E6076EBE7E1E0F4EEFE755BAB2CBCAE557AAB8208BB681D5381C1D09B4CCF1100F33CAD1990EFB507062EA51DE3DFAE0821F106B4B0522"
    "44C379D0D32DE7A56EE17A7D9A5DCA2B472F0D3EEFA05F4E02FC0295",
)


def test_nist_pkcs1v15_vector_verifies() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    n, e, message, signature = SIGGEN15_2048_SHA256
    public = rsa.RSAPublicNumbers(e, int(n, 16)).public_key()
    key = PublicKey.load("rsa-2048", public.public_bytes(serialization.Encoding.DER,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
    options = SignOptions(signature_algorithm="pkcs1v15")
    assert key.verify(bytes.fromhex(message), bytes.fromhex(signature), options)
    assert key.verify(hashlib.sha256(bytes.fromhex(message)).digest(), bytes.fromhex(signature),
                      SignOptions(signature_algorithm="pkcs1v15", prehashed=True))
    assert not key.verify(bytes.fromhex(message), bytes.fromhex(signature), SignOptions(signature_algorithm="pss"))
    assert not key.verify(bytes.fromhex(message)[1:], bytes.fromhex(signature), options)
