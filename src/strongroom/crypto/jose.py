"""JSON Web Signatures for the JWT/OIDC auth method: verify a compact JWS against public keys from a JWKS
document or from PEM, and sign one (identity tokens, tests).

Built on `joserfc`, confined to this module. The recipe is deliberately narrower than the library:

- only asymmetric algorithms are ever accepted (`SUPPORTED_ALGS`): `none` and every HMAC algorithm are
  refused before any key is looked at, so a token "signed" with HS256 over a public key's bytes cannot pass;
- a key is a candidate only if its type fits the algorithm (RSA for RS/PS, EC with the matching curve for ES,
  OKP for EdDSA), its `use` is absent or `sig`, and its own `alg`, when it names one, is the token's;
- only public halves are kept from JWKS documents and PEM text (a JWKS that leaks private parts is not
  a reason to hold them);
- every failure is a `JoseError` whose message is fixed text, never token content.
"""

from __future__ import annotations

import base64
import binascii
import warnings
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from joserfc import jws
from joserfc.errors import JoseError as _LibError
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, Key, OKPKey, RSAKey

__all__ = [
    "SUPPORTED_ALGS",
    "BadSignature",
    "JoseError",
    "KeySet",
    "SigningKey",
    "UnknownKeyId",
    "parse_jwks",
    "parse_pem_public_keys",
    "peek_header",
    "verify",
]

# Algorithm -> (key type, EC curve or None).
_ALGS: dict[str, tuple[str, str | None]] = {
    "RS256": ("RSA", None), "RS384": ("RSA", None), "RS512": ("RSA", None),
    "PS256": ("RSA", None), "PS384": ("RSA", None), "PS512": ("RSA", None),
    "ES256": ("EC", "P-256"), "ES384": ("EC", "P-384"), "ES512": ("EC", "P-521"),
    "EdDSA": ("OKP", None), "Ed25519": ("OKP", None),
}
SUPPORTED_ALGS: tuple[str, ...] = tuple(_ALGS)
MAX_TOKEN_BYTES = 64 * 1024
_MIN_RSA_BITS = 2048


class JoseError(ValueError):
    """A token or key that cannot be used; the message is fixed text, safe to show."""


class BadSignature(JoseError):
    """No key in the set verifies the token: the caller may refresh its keys and retry once."""


class UnknownKeyId(BadSignature):
    """The token names a key id that no key in the set has."""


@dataclass(frozen=True)
class _PublicKey:
    key: Key
    kid: str | None
    alg: str | None


@dataclass(frozen=True)
class KeySet:
    """Public verification keys; immutable."""

    keys: tuple[_PublicKey, ...] = ()

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(k.kid for k in self.keys if k.kid)

    def candidates(self, alg: str, kid: str | None) -> list[Key]:
        kty, curve = _ALGS[alg]
        found = []
        for entry in self.keys:
            if kid is not None and entry.kid is not None and entry.kid != kid:
                continue
            if entry.alg is not None and entry.alg != alg:
                continue
            if entry.key.key_type != kty:
                continue
            if curve is not None and entry.key.get("crv") != curve:
                continue
            if alg in ("EdDSA", "Ed25519") and entry.key.get("crv") != "Ed25519":
                continue
            found.append(entry.key)
        return found


def _import(jwk: Mapping[str, Any]) -> RSAKey | ECKey | OKPKey:
    cls = {"RSA": RSAKey, "EC": ECKey, "OKP": OKPKey}.get(str(jwk.get("kty")))
    if cls is None:
        raise JoseError("unsupported key type")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)  # weak keys are refused by our own size check
        key: RSAKey | ECKey | OKPKey = cls.import_key(dict(jwk))  # type: ignore[attr-defined]
    return key


def parse_jwks(document: bytes | Mapping[str, Any]) -> KeySet:
    """Keys from a JWKS document. Keys we cannot verify with (symmetric, encryption-only, unknown types or
    curves, RSA under 2048 bits) are skipped; a document that is not a JWKS at all is an error."""
    if isinstance(document, bytes | bytearray):
        try:
            document = orjson.loads(document)
        except orjson.JSONDecodeError:
            raise JoseError("JWKS is not valid JSON") from None
    raw_keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(raw_keys, list):
        raise JoseError("JWKS has no 'keys' list")
    keys = []
    for raw in raw_keys:
        parsed = _jwk(raw)
        if parsed is not None:
            keys.append(parsed)
    return KeySet(tuple(keys))


def _jwk(raw: object) -> _PublicKey | None:
    if not isinstance(raw, dict) or raw.get("use", "sig") != "sig":
        return None
    kty = raw.get("kty")
    if kty not in ("RSA", "EC", "OKP"):
        return None
    fields = {k: v for k, v in raw.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth", "key_ops")}
    try:
        key = _import(fields)
    except (_LibError, ValueError, TypeError, KeyError, binascii.Error):
        return None
    if isinstance(key, RSAKey) and key.public_key.key_size < _MIN_RSA_BITS:
        return None
    kid, alg = raw.get("kid"), raw.get("alg")
    return _PublicKey(key, kid if isinstance(kid, str) else None, alg if isinstance(alg, str) else None)


def parse_pem_public_keys(pems: Iterable[str]) -> KeySet:
    """PEM public keys (SubjectPublicKeyInfo or certificates' keys are not accepted: public keys only)."""
    keys = []
    for index, pem in enumerate(pems):
        try:
            loaded = serialization.load_pem_public_key(pem.strip().encode())
        except (ValueError, TypeError):
            raise JoseError(f"public key {index} is not a PEM-encoded public key") from None
        key: Key
        if isinstance(loaded, rsa.RSAPublicKey):
            if loaded.key_size < _MIN_RSA_BITS:
                raise JoseError(f"public key {index} is an RSA key shorter than {_MIN_RSA_BITS} bits")
            key = RSAKey.import_key(loaded)
        elif isinstance(loaded, ec.EllipticCurvePublicKey):
            key = ECKey.import_key(loaded)
        elif isinstance(loaded, ed25519.Ed25519PublicKey):
            key = OKPKey.import_key(loaded)
        else:
            raise JoseError(f"public key {index} is of an unsupported type")
        keys.append(_PublicKey(key, None, None))
    return KeySet(tuple(keys))


def _b64json(segment: str) -> Any:
    try:
        padded = segment + "=" * (-len(segment) % 4)
        return orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, orjson.JSONDecodeError):
        raise JoseError("token is not a compact JWS") from None


def _split(token: str) -> list[str]:
    if len(token) > MAX_TOKEN_BYTES:
        raise JoseError("token is too large")
    parts = token.strip().split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise JoseError("token is not a compact JWS")
    return parts


def peek_header(token: str) -> dict[str, Any]:
    """The protected header, unverified (to pick a key or decide to refresh keys)."""
    header = _b64json(_split(token)[0])
    if not isinstance(header, dict):
        raise JoseError("token is not a compact JWS")
    return header


def verify(token: str, keys: KeySet, algorithms: Collection[str]) -> dict[str, Any]:
    """The payload of `token` as a JSON object, once its signature checks out against one of `keys` with
    one of `algorithms` (which are intersected with SUPPORTED_ALGS). Claims are not validated here."""
    parts = _split(token)
    header = peek_header(token)
    alg = header.get("alg")
    allowed = [a for a in algorithms if a in _ALGS]
    if not isinstance(alg, str) or alg not in allowed:
        raise JoseError("token is signed with an algorithm that is not allowed")
    if "crit" in header or header.get("b64", True) is not True:
        raise JoseError("token uses unsupported header extensions")
    kid = header.get("kid")
    kid = kid if isinstance(kid, str) else None
    candidates = keys.candidates(alg, kid)
    if not candidates:
        if kid is not None and kid not in keys.kids:
            raise UnknownKeyId("no key matches the token's key id")
        raise BadSignature("no key can verify the token")
    for key in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SecurityWarning)
                jws.deserialize_compact(token.strip(), key, algorithms=[alg])
        except (_LibError, ValueError, TypeError):
            continue
        payload = _b64json(parts[1])
        if not isinstance(payload, dict):
            raise JoseError("token payload is not a JSON object")
        return payload
    raise BadSignature("failed to verify the token's signature")


class SigningKey:
    """A private signing key with a key id, for issuing tokens (and for tests of verifiers)."""

    def __init__(self, key: RSAKey | ECKey | OKPKey, alg: str, kid: str) -> None:
        self._key = key
        self.alg = alg
        self.kid = kid

    @classmethod
    def generate(cls, alg: str = "RS256", kid: str = "k1") -> SigningKey:
        if alg not in _ALGS:
            raise JoseError("unsupported signing algorithm")
        kty, curve = _ALGS[alg]
        key: RSAKey | ECKey | OKPKey
        if kty == "RSA":
            key = RSAKey.generate_key(2048, {"kid": kid})
        elif kty == "EC":
            key = ECKey.generate_key(curve, {"kid": kid})
        else:
            key = OKPKey.generate_key("Ed25519", {"kid": kid})
        return cls(key, alg, kid)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any], alg: str) -> SigningKey:
        return cls(_import(jwk), alg, str(jwk.get("kid", "")))

    def public_jwk(self) -> dict[str, Any]:
        return {**self._key.as_dict(private=False), "kid": self.kid, "alg": self.alg, "use": "sig"}

    def private_jwk(self) -> dict[str, Any]:
        return {**self._key.as_dict(private=True), "kid": self.kid, "alg": self.alg, "use": "sig"}

    def public_pem(self) -> str:
        raw = _import(self._key.as_dict(private=False)).as_pem(private=False)
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def sign(self, claims: Mapping[str, Any], header: Mapping[str, Any] | None = None) -> str:
        merged = {"alg": self.alg, "typ": "JWT", "kid": self.kid, **(header or {})}
        protected = {k: v for k, v in merged.items() if v is not None}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            return jws.serialize_compact(protected, orjson.dumps(dict(claims)), self._key, algorithms=[self.alg])
