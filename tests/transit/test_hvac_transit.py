"""hvac's transit API against a live server."""

from __future__ import annotations

import base64

import hvac
import pytest
from hvac.exceptions import InvalidRequest

DECRYPTION_FAILED = "cipher: message authentication failed"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_key_lifecycle(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    transit.create_key("k", mount_point=mount)
    key = transit.read_key("k", mount_point=mount)["data"]
    assert key["type"] == "aes256-gcm96" and key["latest_version"] == 1
    transit.rotate_key("k", mount_point=mount)
    assert transit.read_key("k", mount_point=mount)["data"]["latest_version"] == 2
    assert transit.list_keys(mount_point=mount)["data"]["keys"] == ["k"]
    with pytest.raises(InvalidRequest, match="deletion is not allowed"):
        transit.delete_key("k", mount_point=mount)
    transit.update_key_configuration("k", deletion_allowed=True, min_decryption_version=2, mount_point=mount)
    assert transit.read_key("k", mount_point=mount)["data"]["min_decryption_version"] == 2
    transit.delete_key("k", mount_point=mount)


def test_encrypt_decrypt_rotate_rewrap(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    transit.create_key("k", mount_point=mount)
    old = transit.encrypt_data("k", plaintext=b64("hello"), mount_point=mount)["data"]["ciphertext"]
    transit.rotate_key("k", mount_point=mount)
    assert transit.decrypt_data("k", ciphertext=old, mount_point=mount)["data"]["plaintext"] == b64("hello")
    rewrapped = transit.rewrap_data("k", ciphertext=old, mount_point=mount)["data"]
    assert rewrapped["key_version"] == 2 and rewrapped["ciphertext"].startswith("vault:v2:")
    transit.update_key_configuration("k", min_decryption_version=2, mount_point=mount)
    with pytest.raises(InvalidRequest) as info:
        transit.decrypt_data("k", ciphertext=old, mount_point=mount)
    assert info.value.errors == [DECRYPTION_FAILED]
    assert transit.decrypt_data("k", ciphertext=rewrapped["ciphertext"],
                                mount_point=mount)["data"]["plaintext"] == b64("hello")


def test_upsert_derived_and_batch(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    items = [{"plaintext": b64(str(i)), "context": b64("ctx"), "reference": str(i)} for i in range(5)]
    results = transit.encrypt_data("d", plaintext="", batch_input=items, mount_point=mount)["data"]["batch_results"]
    assert [r["reference"] for r in results] == ["0", "1", "2", "3", "4"]
    assert transit.read_key("d", mount_point=mount)["data"]["derived"] is True
    decrypt_items = [{"ciphertext": r["ciphertext"], "context": b64("ctx")} for r in results]
    plain = transit.decrypt_data("d", ciphertext="", batch_input=decrypt_items, mount_point=mount)
    assert [p["plaintext"] for p in plain["data"]["batch_results"]] == [b64(str(i)) for i in range(5)]
    with pytest.raises(InvalidRequest):  # a failing item makes the whole batch a 400
        transit.decrypt_data("d", ciphertext="", mount_point=mount,
                             batch_input=[*decrypt_items, {"ciphertext": "vault:v1:AAAA", "context": b64("ctx")}])


def test_datakey_sign_verify_hmac_random_hash(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    transit.create_key("k", mount_point=mount)
    data_key = transit.generate_data_key("k", key_type="plaintext", bits=512, mount_point=mount)["data"]
    assert len(base64.b64decode(data_key["plaintext"])) == 64
    transit.create_key("signer", key_type="ecdsa-p256", mount_point=mount)
    signature = transit.sign_data("signer", hash_input=b64("m"), mount_point=mount)["data"]["signature"]
    assert transit.verify_signed_data("signer", hash_input=b64("m"), signature=signature,
                                      mount_point=mount)["data"]["valid"] is True
    mac = transit.generate_hmac("k", hash_input=b64("m"), mount_point=mount)["data"]["hmac"]
    assert transit.verify_signed_data("k", hash_input=b64("m"), hmac=mac, mount_point=mount)["data"]["valid"]
    assert len(base64.b64decode(transit.generate_random_bytes(n_bytes=24, mount_point=mount)["data"]
                                ["random_bytes"])) == 24
    assert transit.hash_data(hash_input=b64("abc"), algorithm="sha2-512", mount_point=mount)["data"]["sum"]


def test_export_backup_restore(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    transit.create_key("k", exportable=True, allow_plaintext_backup=True, mount_point=mount)
    exported = transit.export_key("k", key_type="encryption-key", mount_point=mount)["data"]["keys"]
    assert len(base64.b64decode(exported["1"])) == 32
    ciphertext = transit.encrypt_data("k", plaintext=b64("x"), mount_point=mount)["data"]["ciphertext"]
    backup = transit.backup_key("k", mount_point=mount)["data"]["backup"]
    transit.restore_key(backup, name="copy", mount_point=mount)
    assert transit.decrypt_data("copy", ciphertext=ciphertext, mount_point=mount)["data"]["plaintext"] == b64("x")
    transit.create_key("secret", mount_point=mount)
    with pytest.raises(InvalidRequest, match="not exportable"):
        transit.export_key("secret", key_type="encryption-key", mount_point=mount)
    with pytest.raises(InvalidRequest, match="exporting is disallowed"):  # Vault answers 500; a refusal is a 400
        transit.backup_key("secret", mount_point=mount)


def test_trim(hv: hvac.Client, mount: str) -> None:
    transit = hv.secrets.transit
    transit.create_key("k", mount_point=mount)
    for _ in range(3):
        transit.rotate_key("k", mount_point=mount)
    transit.update_key_configuration("k", min_decryption_version=3, min_encryption_version=4, mount_point=mount)
    trimmed = transit.trim_key("k", min_version=3, mount_point=mount)["data"]  # a JSON answer, as OpenBao's
    assert trimmed["min_available_version"] == 3
    assert sorted(transit.read_key("k", mount_point=mount)["data"]["keys"]) == ["3", "4"]


def test_sign_hmac_and_rewrap_batches_report_item_errors_without_failing(hv: hvac.Client, mount: str) -> None:
    """As with Vault and OpenBao, these batches answer 200: hvac hands back the results, errors per item."""
    transit = hv.secrets.transit
    transit.create_key("k", mount_point=mount)
    transit.create_key("signer", key_type="ed25519", mount_point=mount)
    signed = transit.sign_data("signer", batch_input=[{"input": b64("a")}, {"input": "!!"}],
                               mount_point=mount)["data"]["batch_results"]
    assert signed[0]["signature"].startswith("vault:v1:") and "illegal base64" in signed[1]["error"]
    # hvac's generate_hmac takes no batch_input: the same request through its adapter.
    macs = hv.adapter.post(f"/v1/{mount}/hmac/k", json={"batch_input": [{"input": b64("a")}, {"input": "!!"}]}
                           )["data"]["batch_results"]
    assert macs[0]["hmac"].startswith("vault:v1:") and "error" in macs[1]
    ciphertext = transit.encrypt_data("k", plaintext=b64("x"), mount_point=mount)["data"]["ciphertext"]
    rewrapped = transit.rewrap_data("k", ciphertext="", batch_input=[{"ciphertext": ciphertext},
                                                                   {"ciphertext": "vault:v1:AAAA"}],
                                    mount_point=mount)["data"]["batch_results"]
    assert rewrapped[0]["ciphertext"].startswith("vault:v1:") and rewrapped[1]["error"]
