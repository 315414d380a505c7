from __future__ import annotations

import pytest

from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework.testing import EngineHarness

VAULT_FIELDS = {"allow_plaintext_backup", "auto_rotate_period", "deletion_allowed", "derived", "exportable",
                "imported_key", "keys", "latest_version", "min_available_version", "min_decryption_version",
                "min_encryption_version", "name", "soft_deleted", "supports_decryption", "supports_derivation",
                "supports_encryption", "supports_signing", "type"}


def test_create_and_read_in_vaults_shape(transit: EngineHarness) -> None:
    created = transit.write("keys/k1").data
    assert created is not None and set(created) >= VAULT_FIELDS
    read = transit.read("keys/k1").data
    assert read == created
    assert read["keys"] == {"1": 1800000000}
    assert (read["type"], read["latest_version"], read["min_decryption_version"], read["supports_signing"]) == (
        "aes256-gcm96", 1, 1, False)
    again = transit.write("keys/k1", type="chacha20-poly1305")
    assert again.warnings == ["key k1 already existed"] and again.data["type"] == "aes256-gcm96"  # type: ignore[index]


@pytest.mark.parametrize(("key_type", "curve"), [("ecdsa-p256", "P-256"), ("ecdsa-p384", "P-384"),
                                                 ("ecdsa-p521", "P-521"), ("rsa-2048", "rsa-2048")])
def test_asymmetric_keys_show_public_keys(transit: EngineHarness, key_type: str, curve: str) -> None:
    data = transit.write(f"keys/{key_type}", type=key_type).data
    entry = data["keys"]["1"]  # type: ignore[index]
    assert entry["name"] == curve and entry["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert entry["creation_time"] == "2027-01-15T08:00:00.000000Z" and entry["certificate_chain"] == ""


def test_ed25519_and_derived_public_keys(transit: EngineHarness) -> None:
    plain = transit.write("keys/ed", type="ed25519").data["keys"]["1"]  # type: ignore[index]
    assert plain["name"] == "ed25519" and len(plain["public_key"]) == 44
    transit.write("keys/edd", type="ed25519", derived=True)
    assert transit.read("keys/edd").data["keys"]["1"]["public_key"] == ""  # type: ignore[index]
    one = transit.read("keys/edd", context="YQ==").data["keys"]["1"]["public_key"]  # type: ignore[index]
    two = transit.read("keys/edd", context="Yg==").data["keys"]["1"]["public_key"]  # type: ignore[index]
    assert one and two and one != two
    with pytest.raises(InvalidRequest, match="base64-decode context"):
        transit.read("keys/edd", context="!")


def test_create_options_and_errors(transit: EngineHarness) -> None:
    data = transit.write("keys/d", derived=True, convergent_encryption=True, exportable=True,
                         allow_plaintext_backup=True, auto_rotate_period="24h").data
    assert data is not None
    assert (data["kdf"], data["convergent_encryption"], data["auto_rotate_period"], data["exportable"]) == (
        "hkdf_sha256", True, 86400, True)
    assert transit.write("keys/h", type="hmac", key_size=64).data["key_size"] == 64  # type: ignore[index]
    for fields, message in [({"type": "bogus"}, "unknown key type bogus"),
                            ({"convergent_encryption": True}, "requires derivation"),
                            ({"type": "hmac", "key_size": 600}, "invalid key_size"),
                            ({"auto_rotate_period": "10m"}, "at least an hour")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write("keys/bad", **fields)


def test_list_and_delete(transit: EngineHarness) -> None:
    with pytest.raises(NotFound):
        transit.list("keys")
    transit.write("keys/b")
    transit.write("keys/a")
    assert transit.list("keys").data == {"keys": ["a", "b"]}
    with pytest.raises(InvalidRequest, match="error deleting policy a: deletion is not allowed for this key"):
        transit.delete("keys/a")
    with pytest.raises(InvalidRequest, match="could not delete key; not found"):
        transit.delete("keys/zz")
    transit.write("keys/a/config", deletion_allowed=True)
    assert transit.delete("keys/a").is_empty()
    with pytest.raises(NotFound):
        transit.read("keys/a")


def test_config_rotate_trim(transit: EngineHarness) -> None:
    transit.write("keys/k")
    for expected in (2, 3, 4):
        assert transit.write("keys/k/rotate").data["latest_version"] == expected  # type: ignore[index]
    data = transit.write("keys/k/config", min_decryption_version=3, min_encryption_version=4).data
    assert data is not None and sorted(data["keys"]) == ["3", "4"]
    with pytest.raises(InvalidRequest, match="latest key version is 4"):
        transit.write("keys/k/config", min_decryption_version=9)
    trimmed = transit.write("keys/k/trim", min_available_version=3).data
    assert trimmed is not None and trimmed["min_available_version"] == 3 and sorted(trimmed["keys"]) == ["3", "4"]
    assert transit.read("keys/k").data["min_available_version"] == 3  # type: ignore[index]
    with pytest.raises(InvalidRequest):
        transit.write("keys/nope/config", deletion_allowed=True)
    with pytest.raises(InvalidRequest):
        transit.write("keys/nope/rotate")
    with pytest.raises(InvalidRequest):
        transit.write("keys/nope/trim", min_available_version=1)


def test_extension_fields_for_the_kms_face(transit: EngineHarness) -> None:
    transit.write("keys/k", custom_metadata={"usage": "ENCRYPT_DECRYPT"})
    data = transit.write("keys/k/config", disabled=True, delete_after="2027-02-01T00:00:00Z",
                         custom_metadata={"usage": "ENCRYPT_DECRYPT", "description": "d"}).data
    assert data is not None
    assert data["disabled"] and data["delete_after"].startswith("2027-02-01T00:00:00")
    assert data["custom_metadata"] == {"usage": "ENCRYPT_DECRYPT", "description": "d"}
    with pytest.raises(InvalidRequest, match="is disabled"):
        transit.write("encrypt/k", plaintext="aGk=")
    assert "delete_after" not in transit.write("keys/k/config", delete_after="").data  # type: ignore[operator]
    with pytest.raises(InvalidRequest, match="RFC 3339"):
        transit.write("keys/k/config", delete_after="tomorrow")


def test_periodic_auto_rotation_through_the_backend(transit: EngineHarness) -> None:
    transit.write("keys/k", auto_rotate_period="1h")
    transit.backend.periodic(transit.clock.now())
    transit.clock.advance(3600)
    transit.backend.periodic(transit.clock.now())
    transit.write("keys/k/rotate")
    data = transit.read("keys/k").data
    assert data is not None and data["latest_version"] == 3
    assert [v["origin"] for v in data["key_versions"].values()] == ["generated", "auto-rotated", "rotated"]


def test_unknown_fields_warn(transit: EngineHarness) -> None:
    assert transit.write("keys/k", bogus=1).warnings == ["Endpoint ignored these unrecognized parameters: [bogus]"]
