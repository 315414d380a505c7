from strongroom.crypto.hashing import hmac_sha256
from strongroom.crypto.keyed import HmacSha256Key


def test_reused_key_matches_one_shot_hmac() -> None:
    key = HmacSha256Key(b"k" * 32)
    for message in (b"", b"hunter2", b"hunter2"):
        assert key.hexdigest(message) == hmac_sha256(b"k" * 32, message).hex()


def test_rfc4231_case_2() -> None:
    assert HmacSha256Key(b"Jefe").hexdigest(b"what do ya want for nothing?") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
