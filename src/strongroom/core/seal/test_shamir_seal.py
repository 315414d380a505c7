from __future__ import annotations

import base64

import pytest

from strongroom.core.barrier.barrier import Barrier
from strongroom.core.seal.shamir_seal import ShamirSeal, decode_share, validate
from strongroom.sdk.errors import InvalidRequest
from strongroom.storage.memory import InMemoryBackend


def test_threshold_of_distinct_shares_unseals() -> None:
    seal = ShamirSeal(Barrier(InMemoryBackend()))
    shares = seal.initialize(5, 3, 1.0)
    assert seal.barrier.sealed
    assert not seal.submit(shares[0])
    assert not seal.submit(shares[0])  # the same share twice does not advance
    assert len(seal.progress.parts) == 1 and seal.progress.nonce
    assert not seal.submit(shares[3])
    assert seal.submit(shares[4])
    assert not seal.barrier.sealed


def test_wrong_shares_reset_progress_and_stay_sealed() -> None:
    seal = ShamirSeal(Barrier(InMemoryBackend()))
    seal.initialize(3, 2, 1.0)
    other = ShamirSeal(Barrier(InMemoryBackend())).initialize(3, 2, 1.0)
    seal.submit(other[0])
    with pytest.raises(InvalidRequest, match="unable to retrieve stored keys"):
        seal.submit(other[1])
    assert seal.barrier.sealed and not seal.progress.parts


def test_single_share_is_the_raw_key() -> None:
    seal = ShamirSeal(Barrier(InMemoryBackend()))
    (share,) = seal.initialize(1, 1, 1.0)
    assert len(share) == 32
    assert seal.submit(share)


def test_reset_clears_progress() -> None:
    seal = ShamirSeal(Barrier(InMemoryBackend()))
    shares = seal.initialize(3, 2, 1.0)
    seal.submit(shares[0])
    seal.reset()
    assert not seal.progress.parts
    assert not seal.submit(shares[1])


@pytest.mark.parametrize(("shares", "threshold", "message"), [
    (3, 1, "greater than one"), (2, 3, "cannot be larger"), (0, 0, "between 1 and 255"), (256, 2, "between"),
])
def test_invalid_configurations(shares: int, threshold: int, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        validate(shares, threshold)


def test_shares_decode_from_hex_and_base64() -> None:
    raw = bytes(range(33))
    assert decode_share(raw.hex()) == raw
    assert decode_share(base64.b64encode(raw).decode()) == raw
    with pytest.raises(InvalidRequest, match="shorter than minimum 16 bytes"):
        decode_share("abcd")
    with pytest.raises(InvalidRequest):
        decode_share("not a key!")
