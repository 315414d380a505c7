from __future__ import annotations

import dataclasses

import pytest

from strongroom.keys import KEY_TYPES, Key, KeyService, NewKey


def test_record_round_trips(service: KeyService) -> None:
    ring, created = service.create("k", NewKey(type="aes128-gcm96", derived=True, convergent_encryption=True,
                                               custom_metadata={"a": "b"}))
    assert created
    key = service.rotate("k").key
    assert Key.from_bytes(key.to_bytes()) == key
    assert ring.key.latest_version == 1  # the earlier value is untouched


def test_updates_return_copies(service: KeyService) -> None:
    key = service.create("k", NewKey())[0].key
    rotated = key.rotated(b"m" * 32, b"h" * 32, 5.0)
    assert (key.latest_version, rotated.latest_version) == (1, 2)
    trimmed = rotated.trimmed(2)
    assert [v.number for v in trimmed.versions] == [2] and trimmed.version(1) is None
    assert trimmed.version(2) is rotated.version(2)
    assert trimmed.version(3) is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        key.exportable = True  # type: ignore[misc]
    replaced = rotated.with_version_material(2, b"n" * 32)
    assert replaced.version(2).material == b"n" * 32  # type: ignore[union-attr]
    assert rotated.version(2).material == b"m" * 32  # type: ignore[union-attr]


def test_material_never_in_repr(service: KeyService) -> None:
    key = service.create("k", NewKey())[0].key
    assert key.latest.material.hex() not in repr(key)
    assert "material" not in repr(key.latest)


def test_unknown_formats_refused() -> None:
    with pytest.raises(ValueError):
        Key.from_bytes(b'{"format": 2, "type": "aes256-gcm96"}')
    with pytest.raises(ValueError):
        Key.from_bytes(b'{"format": 1, "type": "des"}')


def test_type_table() -> None:
    assert KEY_TYPES["rsa-2048"].encryption and KEY_TYPES["rsa-2048"].signing
    assert KEY_TYPES["chacha20-poly1305"].associated_data
    assert not KEY_TYPES["hmac"].encryption and not KEY_TYPES["hmac"].asymmetric
    assert KEY_TYPES["ed25519"].derivation and KEY_TYPES["ed25519"].asymmetric
