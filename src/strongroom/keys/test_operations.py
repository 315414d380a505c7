from __future__ import annotations

import pytest

from strongroom.crypto.asymmetric import SignOptions
from strongroom.keys import DECRYPTION_FAILED, ConfigChange, DecryptionFailed, KeyDisabled, KeyService, NewKey
from strongroom.keys.operations import SCAN_INTERVAL
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import InvalidRequest


def _ring(service: KeyService, name: str = "k"):  # type: ignore[no-untyped-def]
    ring = service.get(name)
    assert ring is not None
    return ring


@pytest.mark.parametrize("spec, message", [
    (NewKey(type="bogus"), "unknown key type bogus"),
    (NewKey(convergent_encryption=True), "convergent encryption requires derivation"),
    (NewKey(type="ecdsa-p256", derived=True), "not supported for keys of type ecdsa-p256"),
    (NewKey(type="ed25519", derived=True, convergent_encryption=True), "convergent encryption not supported"),
    (NewKey(key_size=32), "key_size is not valid for algorithm aes256-gcm96"),
    (NewKey(type="hmac", key_size=16), "invalid key_size 16"),
    (NewKey(auto_rotate_period=60), "at least an hour"),
])
def test_create_refuses_bad_specs(service: KeyService, spec: NewKey, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        service.create("k", spec)


def test_create_is_idempotent(service: KeyService) -> None:
    _first, created = service.create("k", NewKey())
    again, created_again = service.create("k", NewKey(type="chacha20-poly1305"))
    assert created and not created_again and again.key.type == "aes256-gcm96"


def test_every_decryption_failure_says_the_same_thing(service: KeyService) -> None:
    service.create("k", NewKey())
    ciphertext, _ = service.encrypt(_ring(service), b"secret", aad=b"ad")
    service.rotate("k")
    old, _ = service.encrypt(_ring(service), b"x", version=1)
    service.rotate("k")
    service.configure("k", ConfigChange(min_decryption_version=2))
    other = KeyService(service.store.storage, service.clock)
    other.create("other", NewKey())
    foreign, _ = other.encrypt(_ring(other, "other"), b"secret")
    body = ciphertext.split(":")[2]
    tampered = ciphertext[:-4] + ("AAA=" if not ciphertext.endswith("AAA=") else "BBB=")
    cases = [
        ("no prefix", "abc", None), ("bad base64", "vault:v3:!!!", None), ("too new", f"vault:v9:{body}", None),
        ("too old", old, None), ("tampered", tampered, b"ad"), ("wrong aad", ciphertext, b"ad2"),
        ("foreign key", foreign.replace("v1", "v3"), None), ("short", "vault:v3:AAAA", None),
        ("bad version", f"vault:vx:{body}", None), ("empty version", f"vault:v:{body}", None),
    ]
    for label, text, aad in cases:
        with pytest.raises(DecryptionFailed) as info:
            service.decrypt(_ring(service), text, aad=aad)
        assert info.value.message == DECRYPTION_FAILED, label


def test_derived_keys_need_and_bind_the_context(service: KeyService) -> None:
    service.create("k", NewKey(derived=True))
    with pytest.raises(InvalidRequest, match="missing 'context'"):
        service.encrypt(_ring(service), b"x")
    ciphertext, _ = service.encrypt(_ring(service), b"x", context=b"alice")
    assert service.decrypt(_ring(service), ciphertext, context=b"alice")[0] == b"x"
    with pytest.raises(DecryptionFailed):
        service.decrypt(_ring(service), ciphertext, context=b"bob")
    with pytest.raises(InvalidRequest, match="missing 'context'"):
        service.decrypt(_ring(service), ciphertext)


def test_convergent_is_deterministic_per_context(service: KeyService) -> None:
    service.create("k", NewKey(derived=True, convergent_encryption=True))
    ring = _ring(service)
    a = service.encrypt(ring, b"x", context=b"c")[0]
    assert service.encrypt(ring, b"x", context=b"c")[0] == a
    assert service.encrypt(ring, b"x", context=b"d")[0] != a
    assert service.encrypt(ring, b"y", context=b"c")[0] != a


def test_disabled_keys_refuse_every_use(service: KeyService) -> None:
    service.create("k", NewKey())
    ciphertext, _ = service.encrypt(_ring(service), b"x")
    service.configure("k", ConfigChange(disabled=True))
    ring = _ring(service)
    for use in (lambda: service.encrypt(ring, b"x"), lambda: service.decrypt(ring, ciphertext),
                lambda: service.hmac(ring, b"x", "sha2-256")):
        with pytest.raises(KeyDisabled):
            use()
    service.configure("k", ConfigChange(disabled=False))
    assert service.decrypt(_ring(service), ciphertext)[0] == b"x"


def test_config_rules(service: KeyService) -> None:
    service.create("k", NewKey())
    for _ in range(3):
        service.rotate("k")
    with pytest.raises(InvalidRequest, match="latest key version is 4"):
        service.configure("k", ConfigChange(min_decryption_version=5))
    with pytest.raises(InvalidRequest, match="cannot be negative"):
        service.configure("k", ConfigChange(min_encryption_version=-1))
    with pytest.raises(InvalidRequest, match="must be greater than or equal"):
        service.configure("k", ConfigChange(min_decryption_version=3, min_encryption_version=2))
    ring, warnings = service.configure("k", ConfigChange(min_decryption_version=0))
    assert ring.key.min_decryption_version == 1 and warnings
    ring, _ = service.configure("k", ConfigChange(exportable=True, allow_plaintext_backup=True))
    ring, _ = service.configure("k", ConfigChange(exportable=False, allow_plaintext_backup=False))
    assert ring.key.exportable and ring.key.allow_plaintext_backup  # one-way
    same, _ = service.configure("k", ConfigChange())
    assert same is ring


def test_trim_rules_and_effect(service: KeyService) -> None:
    service.create("k", NewKey())
    old, _ = service.encrypt(_ring(service), b"x")
    for _ in range(3):
        service.rotate("k")
    with pytest.raises(InvalidRequest, match="greater than minimum decryption"):
        service.trim("k", 2)
    service.configure("k", ConfigChange(min_decryption_version=3, min_encryption_version=4))
    with pytest.raises(InvalidRequest, match="positive"):
        service.trim("k", 0)
    assert [v.number for v in service.trim("k", 3).key.versions] == [3, 4]
    with pytest.raises(InvalidRequest, match="decremented"):
        service.trim("k", 2)
    with pytest.raises(InvalidRequest, match="less then min available"):
        service.configure("k", ConfigChange(min_decryption_version=2))
    with pytest.raises(DecryptionFailed):
        service.decrypt(_ring(service), old)


def test_delete_needs_permission(service: KeyService) -> None:
    with pytest.raises(InvalidRequest, match="not found"):
        service.delete("k")
    service.create("k", NewKey())
    with pytest.raises(InvalidRequest, match="deletion is not allowed"):
        service.delete("k")
    service.configure("k", ConfigChange(deletion_allowed=True))
    service.delete("k")
    assert service.get("k") is None and service.names() == []


def test_periodic_rotates_on_schedule_and_deletes_when_due(clock: FrozenClock, service: KeyService) -> None:
    service.create("auto", NewKey(auto_rotate_period=3600))
    service.create("gone", NewKey())
    service.create("kept", NewKey())
    service.configure("gone", ConfigChange(delete_after=clock.now() + 100))
    assert service.periodic(clock.now()) == []
    clock.advance(SCAN_INTERVAL)
    assert service.periodic(clock.now()) == []
    clock.advance(3600)
    assert sorted(service.periodic(clock.now())) == ["auto", "gone"]
    assert service.periodic(clock.now() + 1) == []  # inside the scan interval: no scan
    assert _ring(service, "auto").key.latest.origin == "auto-rotated"
    assert service.names() == ["auto", "kept"]


def test_sign_verify_versions_and_capabilities(service: KeyService) -> None:
    service.create("aes", NewKey())
    with pytest.raises(InvalidRequest, match="does not support signing"):
        service.sign(_ring(service, "aes"), b"x", SignOptions())
    service.create("ed", NewKey(type="ed25519"))
    signature, _ = service.sign(_ring(service, "ed"), b"x", SignOptions())
    service.rotate("ed")
    service.configure("ed", ConfigChange(min_decryption_version=2))
    with pytest.raises(InvalidRequest, match="too old"):
        service.verify(_ring(service, "ed"), b"x", signature, SignOptions())
    with pytest.raises(InvalidRequest, match="invalid signature"):
        service.verify(_ring(service, "ed"), b"x", "junk", SignOptions())
    with pytest.raises(InvalidRequest, match="does not support decryption"):
        service.decrypt(_ring(service, "ed"), signature)
    with pytest.raises(InvalidRequest, match="does not support encryption"):
        service.encrypt(_ring(service, "ed"), b"x")
