"""Asymmetric keys for transit: generation, PKCS#8 storage form, the public and export encodings Vault uses,
RSA-OAEP encryption and signatures (ECDSA, Ed25519, RSA-PSS / PKCS#1 v1.5).

A key is stored as PKCS#8 DER. `PrivateKey`/`PublicKey` wrap a parsed key so it is loaded once per key version.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

from strongroom.crypto.mac import HASHES

_CURVES: dict[str, ec.EllipticCurve] = {
    "ecdsa-p256": ec.SECP256R1(),
    "ecdsa-p384": ec.SECP384R1(),
    "ecdsa-p521": ec.SECP521R1(),
    "ecdsa-secp256k1": ec.SECP256K1(),
}
_CURVE_NAMES = {"ecdsa-p256": "P-256", "ecdsa-p384": "P-384", "ecdsa-p521": "P-521", "ecdsa-secp256k1": "secp256k1"}
_RSA_BITS = {"rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096}
KINDS: tuple[str, ...] = ("ed25519", *_CURVES, *_RSA_BITS)

_PKCS8 = serialization.PrivateFormat.PKCS8
_DER = serialization.Encoding.DER
_PEM = serialization.Encoding.PEM
_SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
_NONE = serialization.NoEncryption()


class KeyFormatError(ValueError):
    """Key material does not parse as the expected kind, or the format is not offered for it."""


@dataclass(frozen=True, slots=True)
class SignOptions:
    """`hash_algorithm` is a Vault name (sha2-256, ...); `salt_length` is "auto", "hash" or a number of bytes;
    `marshaling` is "asn1" (DER for ECDSA) or "jws" (r || s)."""

    hash_algorithm: str = "sha2-256"
    prehashed: bool = False
    signature_algorithm: str = "pss"
    salt_length: str = "auto"
    marshaling: str = "asn1"


def curve_name(kind: str) -> str:
    return _CURVE_NAMES.get(kind, kind)


def _check_kind(kind: str, key: PrivateKeyTypes | PublicKeyTypes) -> None:
    if kind == "ed25519":
        ok = isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey)
    elif kind in _CURVES:
        ok = isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and (
            key.curve.name == _CURVES[kind].name
        )
    elif kind in _RSA_BITS:
        ok = isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey) and key.key_size == _RSA_BITS[kind]
    else:
        ok = False
    if not ok:
        raise KeyFormatError(f"key material is not a {kind} key")


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return HASHES[name]()
    except KeyError:
        raise KeyFormatError(f"unsupported hash algorithm {name}") from None


def _pem_text(data: bytes, trim: bool) -> str:
    text = data.decode()
    return text.strip() if trim else text


class PublicKey:
    __slots__ = ("_key", "kind")

    def __init__(self, kind: str, key: PublicKeyTypes) -> None:
        _check_kind(kind, key)
        self.kind = kind
        self._key = key

    @classmethod
    def load(cls, kind: str, data: bytes) -> PublicKey:
        """From SPKI DER or PEM."""
        try:
            key = serialization.load_pem_public_key(data) if data.lstrip().startswith(b"-----") else (
                serialization.load_der_public_key(data))
        except (ValueError, UnsupportedAlgorithm):
            raise KeyFormatError("public key does not parse") from None
        return cls(kind, key)

    def der(self) -> bytes:
        return self._key.public_bytes(_DER, _SPKI)

    def pem(self) -> str:
        return _pem_text(self._key.public_bytes(_PEM, _SPKI), trim=self.kind in _CURVES)

    def raw(self) -> bytes:
        if not isinstance(self._key, ed25519.Ed25519PublicKey):
            raise KeyFormatError("raw format is only for ed25519 keys")
        return self._key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def display(self) -> str:
        """The form Vault shows in a key read: base64 raw for ed25519, PEM otherwise."""
        return base64.b64encode(self.raw()).decode() if self.kind == "ed25519" else self.pem()

    def export(self, fmt: str) -> str:
        """Vault's export encodings: "" (default), "raw" (ed25519 only), "der" (base64) or "pem"."""
        if fmt == "der":
            return base64.b64encode(self.der()).decode()
        if fmt == "pem":
            return _pem_text(self._key.public_bytes(_PEM, _SPKI), trim=not self.kind.startswith("rsa"))
        if fmt == "raw" and self.kind != "ed25519":
            raise KeyFormatError(f"unknown key format for {self.kind} key")
        return self.display()

    def verify(self, data: bytes, signature: bytes, options: SignOptions) -> bool:
        try:
            self._verify(data, signature, options)
        except (InvalidSignature, ValueError, UnsupportedAlgorithm):
            return False
        return True

    def _verify(self, data: bytes, signature: bytes, options: SignOptions) -> None:
        key = self._key
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            if options.marshaling == "jws":
                size = (key.curve.key_size + 7) // 8
                if len(signature) != 2 * size:
                    raise InvalidSignature()
                r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
                signature = utils.encode_dss_signature(r, s)
            key.verify(signature, data, ec.ECDSA(_digest_mode(options)))
        elif isinstance(key, rsa.RSAPublicKey):
            algorithm = _digest_mode(options)
            key.verify(signature, data, _rsa_padding(options, verifying=True), algorithm)
        else:  # pragma: no cover - kinds are checked at construction
            raise InvalidSignature()

    def encrypt(self, plaintext: bytes, hash_algorithm: str = "sha2-256") -> bytes:
        """RSA-OAEP with MGF1 over the same hash (SHA-256 by default, as Vault)."""
        if not isinstance(self._key, rsa.RSAPublicKey):
            raise KeyFormatError(f"{self.kind} keys do not encrypt")
        algorithm = _hash(hash_algorithm)
        return self._key.encrypt(plaintext, padding.OAEP(padding.MGF1(algorithm), algorithm, None))


def _digest_mode(options: SignOptions) -> hashes.HashAlgorithm | utils.Prehashed:
    algorithm = _hash(options.hash_algorithm)
    return utils.Prehashed(algorithm) if options.prehashed else algorithm


def _rsa_padding(options: SignOptions, *, verifying: bool) -> padding.AsymmetricPadding:
    if options.signature_algorithm == "pkcs1v15":
        return padding.PKCS1v15()
    if options.signature_algorithm != "pss":
        raise KeyFormatError(f"unsupported signature algorithm {options.signature_algorithm}")
    mgf = padding.MGF1(_hash(options.hash_algorithm))
    if options.salt_length == "auto":
        return padding.PSS(mgf, padding.PSS.AUTO if verifying else padding.PSS.MAX_LENGTH)
    if options.salt_length == "hash":
        return padding.PSS(mgf, padding.PSS.DIGEST_LENGTH)
    try:
        length = int(options.salt_length)
    except ValueError:
        raise KeyFormatError("invalid salt_length") from None
    if length < 0:
        raise KeyFormatError("invalid salt_length")
    return padding.PSS(mgf, length)


class PrivateKey:
    __slots__ = ("_key", "kind", "public")

    def __init__(self, kind: str, key: PrivateKeyTypes) -> None:
        _check_kind(kind, key)
        self.kind = kind
        self._key = key
        self.public = PublicKey(kind, key.public_key())

    @classmethod
    def generate(cls, kind: str) -> PrivateKey:
        if kind == "ed25519":
            return cls(kind, ed25519.Ed25519PrivateKey.generate())
        if kind in _CURVES:
            return cls(kind, ec.generate_private_key(_CURVES[kind]))
        if kind in _RSA_BITS:
            return cls(kind, rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS[kind]))
        raise KeyFormatError(f"unknown key kind {kind}")

    @classmethod
    def load(cls, kind: str, der: bytes) -> PrivateKey:
        """From PKCS#8 DER (also accepts PEM)."""
        try:
            if der.lstrip().startswith(b"-----"):
                key = serialization.load_pem_private_key(der, password=None)
            else:
                key = serialization.load_der_private_key(der, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise KeyFormatError("private key does not parse") from None
        return cls(kind, key)

    @classmethod
    def from_ed25519_seed(cls, seed: bytes) -> PrivateKey:
        return cls("ed25519", ed25519.Ed25519PrivateKey.from_private_bytes(seed))

    def pkcs8(self) -> bytes:
        return self._key.private_bytes(_DER, _PKCS8, _NONE)

    def ed25519_seed(self) -> bytes:
        if not isinstance(self._key, ed25519.Ed25519PrivateKey):
            raise KeyFormatError("not an ed25519 key")
        return self._key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, _NONE)

    def export(self, fmt: str) -> str:
        """Vault's private export encodings: "" (PKCS#1 PEM for RSA, SEC1 PEM for EC, base64 seed||public for
        ed25519), "raw" (ed25519 only), "der" (base64 PKCS#8) or "pem" (PKCS#8 PEM)."""
        if fmt == "der":
            return base64.b64encode(self.pkcs8()).decode()
        if fmt == "pem":
            return _pem_text(self._key.private_bytes(_PEM, _PKCS8, _NONE), trim=not self.kind.startswith("rsa"))
        if self.kind == "ed25519":
            return base64.b64encode(self.ed25519_seed() + self.public.raw()).decode()
        if fmt == "raw":
            raise KeyFormatError(f"unknown key format for {self.kind} key")
        traditional = serialization.PrivateFormat.TraditionalOpenSSL
        return _pem_text(self._key.private_bytes(_PEM, traditional, _NONE), trim=not self.kind.startswith("rsa"))

    def sign(self, data: bytes, options: SignOptions) -> bytes:
        """Raises KeyFormatError for options the key cannot honour (and for a prehashed input of the wrong size)."""
        key = self._key
        try:
            if isinstance(key, ed25519.Ed25519PrivateKey):
                if options.prehashed:
                    raise KeyFormatError("prehashed input is not supported for ed25519 keys")
                return key.sign(data)
            if isinstance(key, ec.EllipticCurvePrivateKey):
                der = key.sign(data, ec.ECDSA(_digest_mode(options)))
                if options.marshaling != "jws":
                    return der
                r, s = utils.decode_dss_signature(der)
                size = (key.curve.key_size + 7) // 8
                return r.to_bytes(size, "big") + s.to_bytes(size, "big")
            if isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, _rsa_padding(options, verifying=False), _digest_mode(options))
        except (ValueError, UnsupportedAlgorithm) as exc:
            if isinstance(exc, KeyFormatError):
                raise
            raise KeyFormatError("the input cannot be signed with these options") from None
        raise KeyFormatError(f"{self.kind} keys do not sign")  # pragma: no cover

    def decrypt(self, ciphertext: bytes, hash_algorithm: str = "sha2-256") -> bytes:
        """RSA-OAEP; raises ValueError on any failure (the caller turns it into one generic error)."""
        if not isinstance(self._key, rsa.RSAPrivateKey):
            raise KeyFormatError(f"{self.kind} keys do not decrypt")
        algorithm = _hash(hash_algorithm)
        return self._key.decrypt(ciphertext, padding.OAEP(padding.MGF1(algorithm), algorithm, None))

    @property
    def size_bytes(self) -> int:
        return (self._key.key_size + 7) // 8 if isinstance(self._key, rsa.RSAPrivateKey) else 0
