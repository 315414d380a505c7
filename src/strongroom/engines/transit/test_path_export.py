from __future__ import annotations

import base64
from functools import cache

import pytest

from strongroom.crypto.asymmetric import PrivateKey, PublicKey
from strongroom.crypto.keywrap import wrap
from strongroom.engines.transit.conftest import b64
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness


def test_export_requires_exportable(transit: EngineHarness) -> None:
    transit.write("keys/k")
    with pytest.raises(InvalidRequest, match="private key material is not exportable"):
        transit.read("export/encryption-key/k")
    transit.write("keys/k/config", exportable=True)
    data = transit.read("export/encryption-key/k/latest").data
    assert data is not None and data["name"] == "k" and data["type"] == "aes256-gcm96"
    assert len(base64.b64decode(data["keys"]["1"])) == 32
    with pytest.raises(NotFound):
        transit.read("export/encryption-key/none")


def test_public_key_export_needs_no_permission(transit: EngineHarness) -> None:
    transit.write("keys/e", type="ecdsa-p256")
    pem = transit.read("export/public-key/e").data["keys"]["1"]  # type: ignore[index]
    signature = transit.write("sign/e", input=b64("m")).data["signature"]  # type: ignore[index]
    from strongroom.crypto.asymmetric import SignOptions

    assert PublicKey.load("ecdsa-p256", pem.encode()).verify(b"m", base64.b64decode(signature.split(":")[2]),
                                                             SignOptions())


def test_backup_and_restore_through_the_engine(transit: EngineHarness) -> None:
    transit.write("keys/k")
    with pytest.raises(InvalidRequest, match="exporting is disallowed on the policy"):  # a 400, never a 500
        transit.read("backup/k")
    transit.write("keys/k/config", exportable=True, allow_plaintext_backup=True)
    ciphertext = transit.write("encrypt/k", plaintext=b64("x")).data["ciphertext"]  # type: ignore[index]
    blob = transit.read("backup/k").data["backup"]  # type: ignore[index]
    assert transit.read("keys/k").data["backup_info"]["version"] == 1  # type: ignore[index]
    assert transit.write("restore/copy", backup=blob).is_empty()
    assert transit.write("decrypt/copy", ciphertext=ciphertext).data == {"plaintext": b64("x")}
    with pytest.raises(InvalidRequest, match="already exists"):
        transit.write("restore", backup=blob)
    assert transit.write("restore", backup=blob, force=True).is_empty()
    with pytest.raises(InvalidRequest, match="must be supplied"):
        transit.write("restore")


@cache
def wrapping_private() -> PrivateKey:
    return PrivateKey.generate("rsa-4096")


def test_byok_import_through_the_engine(transit: EngineHarness) -> None:
    transit.storage.put("import/wrapping-key", wrapping_private().pkcs8())
    pem = transit.read("wrapping_key").data["public_key"]  # type: ignore[index]
    public = PublicKey.load("rsa-4096", pem.encode())
    material = b"k" * 32
    blob = base64.b64encode(wrap(public, material)).decode()
    assert transit.write("keys/imp/import", ciphertext=blob, exportable=True).is_empty()
    info = transit.read("keys/imp").data
    assert info is not None and info["imported_key"] and info["imported_key_allow_rotation"] is False
    assert transit.read("export/encryption-key/imp").data["keys"]["1"] == base64.b64encode(material).decode()  # type: ignore[index]
    ct = transit.write("encrypt/imp", plaintext=b64("x")).data["ciphertext"]  # type: ignore[index]
    assert transit.write("keys/imp/import_version", ciphertext=base64.b64encode(wrap(public, b"n" * 32)).decode(),
                         ).is_empty()
    assert transit.read("keys/imp").data["latest_version"] == 2  # type: ignore[index]
    assert transit.write("decrypt/imp", ciphertext=ct).data == {"plaintext": b64("x")}
    for fields, message in [({"public_key": "pem"}, "public keys only"), ({}, "missing ciphertext"),
                            ({"ciphertext": blob, "convergent_encryption": False}, "convergent"),
                            ({"ciphertext": blob, "version": 1}, "omit version")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write("keys/other/import", **fields)
