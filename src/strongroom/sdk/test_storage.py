"""Scoped storage views: a holder cannot reach past its prefix, and trying is the caller's error (a 400)."""

from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import InMemoryStorage, InvalidStorageKey, StorageView


def test_view_is_a_chroot() -> None:
    inner = InMemoryStorage()
    inner.put("other/secret", b"x")
    view = StorageView(inner, "mine/")
    view.put("a/b", b"1")
    assert inner.get("mine/a/b") == b"1"
    assert view.list("") == ["a/"] and view.list("a/") == ["b"]
    view.delete("a/b")
    assert inner.get("mine/a/b") is None and inner.get("other/secret") == b"x"


@pytest.mark.parametrize("key", ["../other/secret", "a/../../other/secret", "/abs", "./a", "a/./b", "..", "a/.."])
def test_escaping_keys_are_an_invalid_request(key: str) -> None:
    view = StorageView(InMemoryStorage(), "mine/")
    for operation in (view.get, view.delete, lambda k: view.put(k, b"")):
        with pytest.raises(InvalidStorageKey) as info:
            operation(key)
        assert isinstance(info.value, InvalidRequest) and isinstance(info.value, ValueError)


def test_prefix_must_be_a_folder() -> None:
    with pytest.raises(ValueError, match="must end with"):
        StorageView(InMemoryStorage(), "mine")
