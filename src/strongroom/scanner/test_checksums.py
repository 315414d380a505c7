import base64
import json

import pytest

from strongroom.scanner.checksums import (
    base62_decode,
    base62_encode,
    github_token,
    strongroom_token,
    verify_basic_auth,
    verify_github_token,
    verify_jwt,
    verify_pem_private_key,
    verify_strongroom_token,
)

BODY = "Ab3dEf9hIjK1mN0pQrS7uVwX2zAbCdE5"


def test_base62_round_trip_and_padding() -> None:
    assert base62_encode(0) == "000000"
    assert base62_encode(61) == "00000z"
    assert base62_decode(base62_encode(2**32 - 1)) == 2**32 - 1


def test_base62_rejects_negative() -> None:
    with pytest.raises(ValueError):
        base62_encode(-1)


def test_strongroom_token_shape_and_checksum() -> None:
    token = strongroom_token("s", BODY)
    assert token.startswith("sr.s." + BODY)
    assert len(token) == len("sr.s.") + 38
    assert verify_strongroom_token(token)


@pytest.mark.parametrize("kind", ["b", "r", "z"])
def test_strongroom_token_types(kind: str) -> None:
    assert verify_strongroom_token(strongroom_token(kind, BODY))


def test_strongroom_checksum_covers_the_type_letter() -> None:
    token = strongroom_token("s", BODY)
    assert not verify_strongroom_token("sr.b." + token[5:])


@pytest.mark.parametrize("bad", ["sr.s." + BODY + "000000", "sr.S." + BODY + "abcdef", "sr.s.short", ""])
def test_strongroom_token_rejects(bad: str) -> None:
    assert not verify_strongroom_token(bad)


@pytest.mark.parametrize(("kind", "body"), [("ss", BODY), ("s", BODY[:-1]), ("s", BODY[:-1] + "!")])
def test_strongroom_token_builder_rejects_bad_input(kind: str, body: str) -> None:
    with pytest.raises(ValueError):
        strongroom_token(kind, body)


def test_github_token_checksum() -> None:
    token = github_token("ghp_", "a" * 10 + "B3c9QzLm0pW2xY7kJ4hN")
    assert verify_github_token(token)
    flipped = token[:10] + ("b" if token[10] != "b" else "c") + token[11:]
    assert not verify_github_token(flipped)
    assert not verify_github_token("ghp_" + "x" * 36)
    assert not verify_github_token(token[:-1])


def _seg(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def test_jwt_structure() -> None:
    good = f"{_seg({'alg': 'HS256'})}.{_seg({'sub': 'x'})}.c2lnbmF0dXJlc2lnbmF0dXJl"
    assert verify_jwt(good)
    assert not verify_jwt(f"{_seg({'typ': 'JWT'})}.{_seg({'sub': 'x'})}.sig")  # no alg
    assert not verify_jwt("eyJub3Q.eyJqc29u.sig")
    assert not verify_jwt("a.b")


def _pem(label: str, raw: bytes) -> str:
    return f"-----BEGIN {label}-----\n{base64.b64encode(raw).decode()}\n-----END {label}-----"


def test_pem_structure() -> None:
    assert verify_pem_private_key(_pem("RSA PRIVATE KEY", b"\x30\x82\x02\x00" + b"k" * 200))
    assert verify_pem_private_key(_pem("OPENSSH PRIVATE KEY", b"openssh-key-v1\x00" + b"k" * 200))
    assert not verify_pem_private_key(_pem("RSA PRIVATE KEY", b"\x01" + b"k" * 200))
    assert not verify_pem_private_key(_pem("OPENSSH PRIVATE KEY", b"\x30" + b"k" * 200))
    assert not verify_pem_private_key("-----BEGIN RSA PRIVATE KEY-----\nnot base64!!\n-----END RSA PRIVATE KEY-----")


def test_pem_in_json_with_escaped_newlines() -> None:
    pem = _pem("PRIVATE KEY", b"\x30\x82\x02\x00" + b"k" * 200).replace("\n", "\\n")
    assert verify_pem_private_key(pem)


def test_basic_auth() -> None:
    assert verify_basic_auth(base64.b64encode(b"deploy:s3cr3tvalue").decode())
    assert not verify_basic_auth(base64.b64encode(b"nocolonhere").decode())
    assert not verify_basic_auth("!!!")
