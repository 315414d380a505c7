from __future__ import annotations

import pytest

from strongroom.crypto.mac import MacKey
from strongroom.crypto.symmetric import DataCipher, InvalidCiphertext, generate_key

# RFC 8439 section 2.8.2: the AEAD_CHACHA20_POLY1305 test vector.
RFC8439_KEY = bytes(range(0x80, 0xA0))
RFC8439_NONCE = bytes.fromhex("070000004041424344454647")
RFC8439_AAD = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
RFC8439_PLAINTEXT = (b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
                     b"sunscreen would be it.")
RFC8439_CIPHERTEXT = bytes.fromhex(
    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
    "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
    "3ff4def08e4b7a9de576d26586cec64b6116")
RFC8439_TAG = bytes.fromhex("1ae10b594f09e26a7e902ecbd0600691")

# The GCM specification (McGrew and Viega), test cases 4 (AES-128) and 16 (AES-256), as in NIST's GCM vectors.
GCM_IV = bytes.fromhex("cafebabefacedbaddecaf888")
GCM_PLAINTEXT = bytes.fromhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
    "b16aedf5aa0de657ba637b39")
GCM_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
GCM_CASES = [
    ("feffe9928665731c6d6a8f9467308308",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0a"
     "ac973d58e091", "5bc94fbc3221a5db94fae95ae7121a47"),
    ("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba"
     "7a0abcc9f662", "76fc6ece0f4e1768cddf8853bb2d551b"),
]


def test_rfc8439_chacha20_poly1305_vector_opens() -> None:
    cipher = DataCipher("chacha20-poly1305", RFC8439_KEY)
    blob = RFC8439_NONCE + RFC8439_CIPHERTEXT + RFC8439_TAG
    assert cipher.open(blob, RFC8439_AAD) == RFC8439_PLAINTEXT


@pytest.mark.parametrize(("key", "ciphertext", "tag"), GCM_CASES)
def test_gcm_spec_vectors_open(key: str, ciphertext: str, tag: str) -> None:
    cipher = DataCipher("aes-gcm", bytes.fromhex(key))
    assert cipher.open(GCM_IV + bytes.fromhex(ciphertext) + bytes.fromhex(tag), GCM_AAD) == GCM_PLAINTEXT


@pytest.mark.parametrize(("algorithm", "size"), [("aes-gcm", 16), ("aes-gcm", 32), ("chacha20-poly1305", 32)])
def test_round_trip_with_fresh_nonces(algorithm: str, size: int) -> None:
    cipher = DataCipher(algorithm, generate_key(size))
    first = cipher.seal(b"payload", b"aad")
    assert cipher.open(first, b"aad") == b"payload"
    assert cipher.seal(b"payload", b"aad") != first
    assert len(first) == 12 + len(b"payload") + 16


def test_convergent_nonce_depends_on_every_input() -> None:
    cipher = DataCipher("aes-gcm", generate_key(32))
    nonce_key = MacKey(generate_key(32))
    blob = cipher.seal_convergent(nonce_key, b"ctx", b"payload", b"aad")
    assert cipher.seal_convergent(nonce_key, b"ctx", b"payload", b"aad") == blob
    assert cipher.open(blob, b"aad") == b"payload"
    others = {cipher.seal_convergent(nonce_key, *args)[:12] for args in [
        (b"ctx", b"payload", b"other"), (b"ctx2", b"payload", b"aad"), (b"ctx", b"payload2", b"aad"),
        (b"ctxp", b"ayload", b"aad")]}
    assert blob[:12] not in others
    assert len(others) == 4


@pytest.mark.parametrize("mutate", [
    lambda b: b[:-1] + bytes([b[-1] ^ 1]),
    lambda b: bytes([b[0] ^ 1]) + b[1:],
    lambda b: b[:27],
    lambda b: b"",
])
def test_failures_are_one_bare_error(mutate: object) -> None:
    cipher = DataCipher("chacha20-poly1305", generate_key(32))
    blob = cipher.seal(b"payload")
    with pytest.raises(InvalidCiphertext) as info:
        cipher.open(mutate(blob))  # type: ignore[operator]
    assert str(info.value) == ""


def test_wrong_sizes_and_names_are_refused() -> None:
    with pytest.raises(ValueError):
        DataCipher("aes-gcm", b"x" * 24)
    with pytest.raises(ValueError):
        DataCipher("des", b"x" * 8)
