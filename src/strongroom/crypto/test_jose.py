from __future__ import annotations

import base64

import orjson
import pytest

from strongroom.crypto import jose
from strongroom.crypto.jose import SigningKey


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def rsa() -> SigningKey:
    return SigningKey.generate("RS256", "r1")


@pytest.mark.parametrize("alg", jose.SUPPORTED_ALGS)
def test_sign_and_verify_round_trip(alg: str) -> None:
    key = SigningKey.generate(alg, "k")
    token = key.sign({"sub": "x"})
    assert jose.peek_header(token) == {"alg": alg, "typ": "JWT", "kid": "k"}
    assert jose.verify(token, jose.parse_jwks({"keys": [key.public_jwk()]}), [alg]) == {"sub": "x"}
    assert jose.verify(token, jose.parse_pem_public_keys([key.public_pem()]), [alg]) == {"sub": "x"}


def test_private_jwk_round_trip(rsa: SigningKey) -> None:
    again = SigningKey.from_jwk(rsa.private_jwk(), "RS256")
    assert jose.verify(again.sign({"a": 1}), jose.parse_jwks({"keys": [rsa.public_jwk()]}), ["RS256"]) == {"a": 1}


def test_jwks_keeps_only_public_signing_keys(rsa: SigningKey) -> None:
    weak = SigningKey.generate("RS256", "weak")
    small = {**weak.public_jwk(), "n": _b64(b"\xff" * 128)}  # 1024-bit modulus
    keys = jose.parse_jwks(orjson.dumps({"keys": [
        rsa.private_jwk(),
        {"kty": "oct", "k": _b64(b"secret"), "kid": "hmac"},
        {**SigningKey.generate("ES256", "enc").public_jwk(), "use": "enc"},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        small,
        "not a key",
        {"kty": "XYZ"},
    ]}))
    assert keys.kids == frozenset({"r1"})
    assert "d" not in keys.keys[0].key.as_dict(private=False)
    assert not keys.keys[0].key.is_private


@pytest.mark.parametrize("document", [b"not json", b"[]", b'{"keys": {}}', {"nokeys": []}])
def test_not_a_jwks(document: bytes | dict[str, object]) -> None:
    with pytest.raises(jose.JoseError):
        jose.parse_jwks(document)


def test_pem_must_be_a_strong_public_key(rsa: SigningKey) -> None:
    private_pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----"
    with pytest.raises(jose.JoseError, match="public key 0"):
        jose.parse_pem_public_keys([private_pem])
    small = ("-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMLqSdiQ8cVJZoLtlVvRY3KfZWtd2OXuUoX5q6wD"
             "BXZQ6LrzWjHbJQPzX1SWz8RzTjwsUrC/qkOpI5fYv5yC5MECAwEAAQ==\n-----END PUBLIC KEY-----")
    with pytest.raises(jose.JoseError, match="shorter than 2048"):
        jose.parse_pem_public_keys([small])
    assert len(jose.parse_pem_public_keys([rsa.public_pem()])) == 1


def test_key_selection_by_kid_type_curve_and_alg(rsa: SigningKey) -> None:
    p256, p384 = SigningKey.generate("ES256", "e1"), SigningKey.generate("ES384", "e2")
    keys = jose.parse_jwks({"keys": [rsa.public_jwk(), p256.public_jwk(), p384.public_jwk()]})
    assert jose.verify(p384.sign({"x": 1}), keys, jose.SUPPORTED_ALGS) == {"x": 1}
    # A token without a kid is tried against every key of the right type.
    assert jose.verify(p256.sign({"x": 2}, {"kid": None}), keys, jose.SUPPORTED_ALGS) == {"x": 2}
    # Claiming another key's id does not help.
    with pytest.raises(jose.BadSignature):
        jose.verify(p256.sign({"x": 3}, {"kid": "e2"}), keys, jose.SUPPORTED_ALGS)
    with pytest.raises(jose.UnknownKeyId):
        jose.verify(SigningKey.generate("ES256", "zz").sign({}), keys, jose.SUPPORTED_ALGS)
    # A key pinned to RS256 does not verify PS256.
    ps = SigningKey.from_jwk({k: v for k, v in rsa.private_jwk().items() if k != "alg"}, "PS256")
    with pytest.raises(jose.BadSignature):
        jose.verify(ps.sign({}), keys, jose.SUPPORTED_ALGS)


@pytest.mark.parametrize("alg", ["none", "HS256", "HS512", "RSA-OAEP", "", None, 5])
def test_refused_algorithms(rsa: SigningKey, alg: object) -> None:
    header = _b64(orjson.dumps({"alg": alg, "kid": "r1"}))
    token = f"{header}.{_b64(b'{}')}.{_b64(b'sig')}"
    with pytest.raises(jose.JoseError, match="not allowed"):
        jose.verify(token, jose.parse_jwks({"keys": [rsa.public_jwk()]}), [*jose.SUPPORTED_ALGS, "none", "HS256"])


def test_header_extensions_and_payload_shape(rsa: SigningKey) -> None:
    keys = jose.parse_jwks({"keys": [rsa.public_jwk()]})
    for extra in ({"crit": ["exp"], "exp": 1}, {"b64": False}):
        header = _b64(orjson.dumps({"alg": "RS256", "kid": "r1", **extra}))
        with pytest.raises(jose.JoseError, match="header extensions"):
            jose.verify(f"{header}.e30.{_b64(b'sig')}", keys, ["RS256"])
    header, _, _ = rsa.sign({}).split(".")
    with pytest.raises(jose.JoseError):
        jose.peek_header(f"{_b64(b'[1]')}.e30.")
    with pytest.raises(jose.JoseError, match="too large"):
        jose.verify("a" * (jose.MAX_TOKEN_BYTES + 1), keys, ["RS256"])
    assert header


def test_payload_must_be_an_object(rsa: SigningKey) -> None:
    from joserfc import jws  # the recipe's own library, to sign a non-object payload
    from joserfc.jwk import RSAKey

    key = RSAKey.import_key(rsa.private_jwk())
    token = jws.serialize_compact({"alg": "RS256", "kid": "r1"}, b"[1,2]", key, algorithms=["RS256"])
    with pytest.raises(jose.JoseError, match="not a JSON object"):
        jose.verify(token, jose.parse_jwks({"keys": [rsa.public_jwk()]}), ["RS256"])


def test_unknown_signing_algorithm() -> None:
    with pytest.raises(jose.JoseError):
        SigningKey.generate("HS256")
