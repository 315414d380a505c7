from __future__ import annotations

from collections import Counter

import pytest

from strongroom.crypto.random import BASE62, base62, new_uuid


@pytest.mark.parametrize("length", [0, 1, 24, 64, 300])
def test_base62_has_the_length_and_alphabet_asked_for(length: int) -> None:
    text = base62(length)
    assert len(text) == length and set(text) <= set(BASE62)


def test_base62_is_uniform_over_the_alphabet() -> None:
    # 200,000 characters: each of the 62 should appear 3,226 times (standard deviation about 56). A modulo bias
    # (every byte mapped, 256 = 4 x 62 + 8) would give the first 8 characters about 4,000 each.
    counts = Counter(base62(200_000))
    assert set(counts) == set(BASE62)
    assert all(abs(n - 200_000 / 62) < 340 for n in counts.values()), counts


def test_values_do_not_repeat() -> None:
    assert len({base62(24) for _ in range(10_000)}) == 10_000
    assert len({new_uuid() for _ in range(10_000)}) == 10_000
