from __future__ import annotations

import pytest

from strongroom.crypto.aead import Aead, InvalidCiphertext, generate_key, open_sealed, seal


def test_round_trip_with_associated_data() -> None:
    key = generate_key()
    blob = seal(key, b"payload", b"path/a")
    assert open_sealed(key, blob, b"path/a") == b"payload"
    assert seal(key, b"payload", b"path/a") != blob  # fresh nonce every time


@pytest.mark.parametrize("mutate", [
    lambda b: b[:-1] + bytes([b[-1] ^ 1]),
    lambda b: bytes([b[0] ^ 1]) + b[1:],
    lambda b: b[:20],
    lambda b: b"",
])
def test_tampered_blobs_fail_with_one_opaque_error(mutate: object) -> None:
    key = generate_key()
    blob = seal(key, b"payload", b"ctx")
    with pytest.raises(InvalidCiphertext) as info:
        open_sealed(key, mutate(blob), b"ctx")  # type: ignore[operator]
    assert str(info.value) == ""


def test_wrong_key_or_context_fails() -> None:
    key = generate_key()
    blob = seal(key, b"payload", b"ctx")
    with pytest.raises(InvalidCiphertext):
        open_sealed(generate_key(), blob, b"ctx")
    with pytest.raises(InvalidCiphertext):
        open_sealed(key, blob, b"other")


def test_key_length_is_checked() -> None:
    with pytest.raises(ValueError):
        Aead(b"short")
