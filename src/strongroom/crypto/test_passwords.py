from __future__ import annotations

from strongroom.crypto.passwords import Argon2Params, hash_password, verify_password

CHEAP = Argon2Params(memory_kib=64, iterations=1)


def test_hash_verifies_and_is_salted() -> None:
    first = hash_password("correct horse", CHEAP)
    assert first.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong", first)
    assert hash_password("correct horse", CHEAP) != first


def test_malformed_hashes_never_verify() -> None:
    assert not verify_password("x", "")
    assert not verify_password("x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA")
    assert not verify_password("x", "$argon2id$v=19$garbage$$")
