from __future__ import annotations

import base64

import pytest

from strongroom.crypto.asymmetric import PrivateKey, SignOptions
from strongroom.crypto.keywrap import wrap
from strongroom.keys import ConfigChange, KeyService, NewKey
from strongroom.keys.export import backup, export_keys, import_key, import_version, restore, wrapping_key
from strongroom.sdk.errors import InvalidRequest


def _ring(service: KeyService, name: str = "k"):  # type: ignore[no-untyped-def]
    ring = service.get(name)
    assert ring is not None
    return ring


def test_export_only_when_exportable(service: KeyService) -> None:
    service.create("k", NewKey())
    with pytest.raises(InvalidRequest, match="not exportable"):
        export_keys(_ring(service), "encryption-key")
    service.configure("k", ConfigChange(exportable=True))
    service.rotate("k")
    keys = export_keys(_ring(service), "encryption-key")
    assert sorted(keys) == ["1", "2"] and len(base64.b64decode(keys["1"])) == 32
    assert list(export_keys(_ring(service), "hmac-key", version="latest")) == ["2"]
    assert list(export_keys(_ring(service), "encryption-key", version="v1")) == ["1"]


@pytest.mark.parametrize(("export_type", "fmt", "version", "message"), [
    ("bogus", "", "", "invalid export type"), ("encryption-key", "xml", "", "invalid format"),
    ("signing-key", "", "", "signing not supported"), ("public-key", "", "", "unknown key type"),
    ("encryption-key", "", "vx", "invalid key version"), ("encryption-key", "", "7", "does not exist"),
    ("encryption-key", "pem", "", "unknown format"), ("hmac-key", "der", "", "unknown format"),
])
def test_export_errors(service: KeyService, export_type: str, fmt: str, version: str, message: str) -> None:
    service.create("k", NewKey(exportable=True))
    with pytest.raises(InvalidRequest, match=message):
        export_keys(_ring(service), export_type, fmt, version)


def test_export_below_min_decryption_and_public_keys(service: KeyService) -> None:
    service.create("k", NewKey(type="ecdsa-p256"))
    service.rotate("k")
    service.configure("k", ConfigChange(min_decryption_version=2))
    with pytest.raises(InvalidRequest, match="below minimum decryption"):
        export_keys(_ring(service), "public-key", version="1")
    assert export_keys(_ring(service), "public-key", "pem", "2")["2"].startswith("-----BEGIN PUBLIC KEY-----")
    with pytest.raises(InvalidRequest, match="encryption not supported"):
        service.configure("k", ConfigChange(exportable=True))
        export_keys(_ring(service), "encryption-key")
    with pytest.raises(InvalidRequest, match="unknown key format"):
        export_keys(_ring(service), "signing-key", "raw")


def test_backup_needs_both_flags_and_restores_everything(service: KeyService) -> None:
    service.create("k", NewKey())
    with pytest.raises(InvalidRequest, match="exporting is disallowed"):
        backup(service, "k")
    service.configure("k", ConfigChange(exportable=True))
    with pytest.raises(InvalidRequest, match="plaintext backup is disallowed"):
        backup(service, "k")
    with pytest.raises(InvalidRequest, match="not found"):
        backup(service, "nope")
    service.configure("k", ConfigChange(allow_plaintext_backup=True))
    old, _ = service.encrypt(_ring(service), b"one")
    service.rotate("k")
    blob = backup(service, "k")
    assert _ring(service).key.backup_info is not None
    with pytest.raises(InvalidRequest, match="already exists"):
        restore(service, blob)
    restored = restore(service, blob, "copy")
    assert restored.key.latest_version == 2 and restored.key.restore_info is not None
    assert service.decrypt(restored, old)[0] == b"one"
    service.configure("k", ConfigChange(deletion_allowed=True))
    service.delete("k")
    assert service.decrypt(restore(service, blob), old)[0] == b"one"
    assert restore(service, blob, force=True).key.name == "k"
    for bad in ("!!", base64.b64encode(b"{}").decode(), base64.b64encode(b"[1]").decode()):
        with pytest.raises(InvalidRequest, match="invalid backup"):
            restore(service, bad)


@pytest.fixture(scope="module")
def wrapper_pem_key() -> PrivateKey:
    return PrivateKey.generate("rsa-4096")


def _with_wrapping_key(service: KeyService, key: PrivateKey) -> None:
    service.store.storage.put("import/wrapping-key", key.pkcs8())


def test_byok_symmetric_and_asymmetric(service: KeyService, wrapper_pem_key: PrivateKey) -> None:
    _with_wrapping_key(service, wrapper_pem_key)
    assert wrapping_key(service).public.der() == wrapper_pem_key.public.der()
    material = b"m" * 32
    ring = import_key(service, "sym", NewKey(exportable=True), base64.b64encode(wrap(
        wrapper_pem_key.public, material)).decode())
    assert ring.key.imported and export_keys(ring, "encryption-key")["1"] == base64.b64encode(material).decode()
    with pytest.raises(InvalidRequest, match="does not allow rotation"):
        service.rotate("sym")
    ring = import_version(service, "sym", base64.b64encode(wrap(wrapper_pem_key.public, b"n" * 32)).decode())
    assert ring.key.latest_version == 2
    signer = PrivateKey.generate("ecdsa-p256")
    ring = import_key(service, "ec", NewKey(type="ecdsa-p256"),
                      base64.b64encode(wrap(wrapper_pem_key.public, signer.pkcs8(), "SHA1")).decode(),
                      hash_function="SHA1", allow_rotation=True)
    signature, _ = service.sign(ring, b"x", SignOptions())
    assert signer.public.verify(b"x", base64.b64decode(signature.split(":")[2]), SignOptions())
    assert service.rotate("ec").key.latest_version == 2


def test_byok_refusals(service: KeyService, wrapper_pem_key: PrivateKey) -> None:
    _with_wrapping_key(service, wrapper_pem_key)

    def wrapped(material: bytes) -> str:
        return base64.b64encode(wrap(wrapper_pem_key.public, material)).decode()

    cases = [
        (dict(spec=NewKey(derived=True, convergent_encryption=True)), wrapped(b"m" * 32), "convergent"),
        (dict(spec=NewKey(auto_rotate_period=3600)), wrapped(b"m" * 32), "allow_rotation"),
        (dict(spec=NewKey()), wrapped(b"m" * 16), "wrong length"),
        (dict(spec=NewKey(type="hmac")), wrapped(b"m" * 8), "key_size"),
        (dict(spec=NewKey(type="rsa-2048")), wrapped(b"m" * 40), "PKCS#8"),
        (dict(spec=NewKey()), "!!!", "failed to unwrap"),
        (dict(spec=NewKey(), hash_function="MD5"), wrapped(b"m" * 32), "unknown hash function"),
    ]
    for options, blob, message in cases:
        spec = options.pop("spec")
        with pytest.raises(InvalidRequest, match=message):
            import_key(service, "k", spec, blob, **options)  # type: ignore[arg-type]
    service.create("plain", NewKey())
    with pytest.raises(InvalidRequest, match="existing key"):
        import_key(service, "plain", NewKey(), wrapped(b"m" * 32))
    with pytest.raises(InvalidRequest, match="only be used with an imported key"):
        import_version(service, "plain", wrapped(b"m" * 32))
    with pytest.raises(InvalidRequest, match="no key found"):
        import_version(service, "nope", wrapped(b"m" * 32))


def test_wrapping_key_is_made_once(service: KeyService) -> None:
    first = wrapping_key(service)
    assert wrapping_key(service).public.der() == first.public.der()
