from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.engines.transit import factory
from strongroom.engines.transit.conftest import b64
from strongroom.keys import DECRYPTION_FAILED
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework.testing import EngineHarness


@pytest.mark.parametrize("key_type", ["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305", "rsa-2048", "rsa-3072",
                                      "rsa-4096"])
def test_round_trip_for_every_encryption_type(transit: EngineHarness, key_type: str) -> None:
    transit.write("keys/k", type=key_type)
    data = transit.write("encrypt/k", plaintext=b64("hello")).data
    assert data is not None and data["key_version"] == 1 and data["ciphertext"].startswith("vault:v1:")
    assert transit.write("decrypt/k", ciphertext=data["ciphertext"]).data == {"plaintext": b64("hello")}


def test_ciphertext_shape_matches_vault(transit: EngineHarness) -> None:
    ciphertext = transit.write("encrypt/k", plaintext=b64("hello")).data["ciphertext"]  # type: ignore[index]
    assert len(ciphertext) == len("vault:v1:") + 44  # 12-byte nonce + 5 bytes + 16-byte tag
    assert transit.write("encrypt/k", plaintext="").data["ciphertext"]  # type: ignore[index]


def test_upsert_creates_and_respects_disable_upsert(transit: EngineHarness) -> None:
    response = transit.write("encrypt/new", plaintext=b64("x"), type="chacha20-poly1305")
    assert transit.read("keys/new").data["type"] == "chacha20-poly1305"  # type: ignore[index]
    assert response.warnings == []
    transit.write("encrypt/derived", plaintext=b64("x"), context=b64("c"), convergent_encryption=True)
    key = transit.read("keys/derived").data
    assert key["derived"] and key["convergent_encryption"]  # type: ignore[index]
    for fields, message in [({"type": "ecdsa-p256"}, "not supported for this operation"),
                            ({"type": "rsa-2048"}, "unknown key type"),
                            ({"convergent_encryption": True}, "context is required")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write("encrypt/other", plaintext=b64("x"), **fields)
    assert transit.write("config/keys", disable_upsert=True).data == {"disable_upsert": True}
    assert transit.read("config/keys").data == {"disable_upsert": True}
    with pytest.raises(InvalidRequest, match="encryption key not found"):
        transit.write("encrypt/other", plaintext=b64("x"))


def test_single_item_errors(transit: EngineHarness) -> None:
    transit.write("keys/k")
    with pytest.raises(InvalidRequest, match="illegal base64 data at input byte 4"):
        transit.write("encrypt/k", plaintext="aGVs!G8=")
    with pytest.raises(InvalidRequest, match="missing plaintext to encrypt"):
        transit.write("encrypt/k")
    with pytest.raises(InvalidRequest, match="nonce not allowed"):
        transit.write("encrypt/k", plaintext=b64("x"), nonce=b64("n" * 12))
    with pytest.raises(InvalidRequest, match="less than the minimum"):
        transit.write("keys/k/rotate")
        transit.write("keys/k/config", min_encryption_version=2)
        transit.write("encrypt/k", plaintext=b64("x"), key_version=1)
    with pytest.raises(InvalidRequest, match="higher than the latest"):
        transit.write("encrypt/k", plaintext=b64("x"), key_version=3)
    with pytest.raises(InvalidRequest, match="encryption key not found"):
        transit.write("decrypt/none", ciphertext="vault:v1:AAAA")
    with pytest.raises(InvalidRequest, match="missing ciphertext"):
        transit.write("decrypt/k")
    transit.write("keys/rsa", type="rsa-2048")
    with pytest.raises(InvalidRequest, match="non-AEAD"):
        transit.write("encrypt/rsa", plaintext=b64("x"), associated_data=b64("a"))
    with pytest.raises(InvalidRequest, match="too long"):
        transit.write("encrypt/rsa", plaintext=b64("x" * 300))
    transit.write("keys/ed", type="ed25519")
    with pytest.raises(InvalidRequest, match="does not support encryption"):
        transit.write("encrypt/ed", plaintext=b64("x"))


def test_associated_data_is_bound(transit: EngineHarness) -> None:
    ct = transit.write("encrypt/k", plaintext=b64("x"), associated_data=b64("ad")).data["ciphertext"]  # type: ignore[index]
    assert transit.write("decrypt/k", ciphertext=ct, associated_data=b64("ad")).data == {"plaintext": b64("x")}
    for aad in ("", b64("other")):
        with pytest.raises(InvalidRequest) as info:
            transit.write("decrypt/k", ciphertext=ct, associated_data=aad)
        assert info.value.message == DECRYPTION_FAILED


def test_every_decryption_failure_is_the_same_message(transit: EngineHarness) -> None:
    transit.write("keys/k", derived=True)
    ct = transit.write("encrypt/k", plaintext=b64("x"), context=b64("c")).data["ciphertext"]  # type: ignore[index]
    transit.write("keys/k/rotate")
    transit.write("keys/k/rotate")
    newest = transit.write("encrypt/k", plaintext=b64("x"), context=b64("c")).data["ciphertext"]  # type: ignore[index]
    transit.write("keys/k/config", min_decryption_version=2)
    flipped = newest[:-3] + ("A" if newest[-3] != "A" else "B") + newest[-2:]
    for text, context in [(ct, "c"), (newest, "d"), ("vault:v9:" + newest[9:], "c"), (flipped, "c"),
                          ("no-prefix", "c"), ("vault:v3:!!notbase64", "c"), ("vault:v3:", "c")]:
        with pytest.raises(InvalidRequest) as info:
            transit.write("decrypt/k", ciphertext=text, context=b64(context))
        assert info.value.message == DECRYPTION_FAILED, text
    assert transit.write("decrypt/k", ciphertext=newest, context=b64("c")).data == {"plaintext": b64("x")}


def test_batch_per_item_errors_and_status(transit: EngineHarness) -> None:
    items = [{"plaintext": b64("a"), "reference": "one"}, {"plaintext": "!!"}, {"plaintext": b64("c"),
                                                                              "key_version": "1"}]
    response = transit.write("encrypt/k", batch_input=items)
    assert response.status == 400
    results = response.data["batch_results"]  # type: ignore[index]
    assert results[0]["reference"] == "one" and results[0]["key_version"] == 1
    assert results[1] == {"error": "illegal base64 data at input byte 0", "reference": ""}
    partial = transit.write("encrypt/k", batch_input=items, partial_failure_response_code=207)
    assert partial.status == 207
    odd = transit.write("encrypt/k", batch_input=items, partial_failure_response_code=999)
    assert odd.status == 400 and odd.warnings
    all_bad = transit.write("encrypt/k", batch_input=[{"plaintext": "!!"}], partial_failure_response_code=207)
    assert all_bad.status == 400
    ciphertexts = [{"ciphertext": r.get("ciphertext", "junk"), "reference": str(i)} for i, r in enumerate(results)]
    decrypted = transit.write("decrypt/k", batch_input=ciphertexts)
    assert decrypted.status == 400
    out = decrypted.data["batch_results"]  # type: ignore[index]
    assert out[0] == {"plaintext": b64("a"), "reference": "0"}
    assert out[1] == {"plaintext": "", "error": DECRYPTION_FAILED, "reference": "1"}
    ok = transit.write("decrypt/k", batch_input=[ciphertexts[0], ciphertexts[2]])
    assert ok.status is None and len(ok.data["batch_results"]) == 2  # type: ignore[index]


def test_batch_input_validation(transit: EngineHarness) -> None:
    for batch, message in [([], "missing batch input"), ("nope", "must be an array"), ([1], "expected a map"),
                           ([{"plaintext": 5}], "expected type 'string'"), ([{}], "missing plaintext"),
                           ([{"plaintext": "", "key_version": "x"}], "expected type 'int'"),
                           ([{"plaintext": "", "context": b64("c")}, {"plaintext": ""}], "all the request blocks")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write("encrypt/k", batch_input=batch)
    with pytest.raises(InvalidRequest, match="missing ciphertext"):
        transit.write("decrypt/k", batch_input=[{}])


def test_rewrap_moves_to_the_latest_version(transit: EngineHarness) -> None:
    old = transit.write("encrypt/k", plaintext=b64("x"), associated_data=b64("a")).data["ciphertext"]  # type: ignore[index]
    transit.write("keys/k/rotate")
    data = transit.write("rewrap/k", ciphertext=old, associated_data=b64("a")).data
    assert data is not None and data["key_version"] == 2 and data["ciphertext"].startswith("vault:v2:")
    batch = transit.write("rewrap/k", batch_input=[{"ciphertext": old, "associated_data": b64("a"),
                                                    "reference": "r"}, {"ciphertext": "bad"}])
    assert batch.status is None  # rewrap batches are 200 with per-item errors, as in Vault and OpenBao
    assert batch.data["batch_results"][0]["reference"] == "r"  # type: ignore[index]
    assert batch.data["batch_results"][1]["error"] == DECRYPTION_FAILED  # type: ignore[index]
    with pytest.raises(InvalidRequest, match=DECRYPTION_FAILED):
        transit.write("rewrap/k", ciphertext="bad")
    assert transit.write("decrypt/k", ciphertext=data["ciphertext"],
                         associated_data=b64("a")).data == {"plaintext": b64("x")}


def test_convergent_encryption_is_deterministic(transit: EngineHarness) -> None:
    transit.write("keys/c", derived=True, convergent_encryption=True)
    one = transit.write("encrypt/c", plaintext=b64("x"), context=b64("ctx")).data
    two = transit.write("encrypt/c", plaintext=b64("x"), context=b64("ctx")).data
    other = transit.write("encrypt/c", plaintext=b64("x"), context=b64("ctx2")).data
    assert one == two and one != other
    with pytest.raises(InvalidRequest, match="missing 'context'"):
        transit.write("encrypt/c", plaintext=b64("x"))


def test_datakey(transit: EngineHarness) -> None:
    transit.write("keys/k")
    data = transit.write("datakey/plaintext/k", bits=128).data
    assert data is not None and len(base64.b64decode(data["plaintext"])) == 16
    assert transit.write("decrypt/k", ciphertext=data["ciphertext"]).data == {"plaintext": data["plaintext"]}
    wrapped = transit.write("datakey/wrapped/k").data
    assert wrapped is not None and set(wrapped) == {"ciphertext", "key_version"}
    plain = transit.write("decrypt/k", ciphertext=wrapped["ciphertext"]).data["plaintext"]  # type: ignore[index]
    assert len(base64.b64decode(plain)) == 32
    for path, fields, message in [("datakey/bogus/k", {}, "must be 'plaintext' or 'wrapped'"),
                                  ("datakey/plaintext/k", {"bits": 100}, "invalid bits"),
                                  ("datakey/plaintext/k", {"nonce": "x"}, "nonce"),
                                  ("datakey/plaintext/none", {}, "encryption key not found")]:
        with pytest.raises(InvalidRequest, match=message):
            transit.write(path, **fields)


def test_usage_bound_rotates_through_the_engine() -> None:
    harness = EngineHarness(factory, options={"usage_limit": "3", "usage_block": "1"})
    versions = [harness.write("encrypt/k", plaintext=b64("x")).data["key_version"]  # type: ignore[index]
                for _ in range(7)]
    assert versions == [1, 1, 1, 2, 2, 2, 3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key_type=st.sampled_from(["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305"]),
    derived=st.booleans(),
    steps=st.lists(st.tuples(st.binary(max_size=64), st.binary(min_size=1, max_size=8), st.booleans()),
                   min_size=1, max_size=12),
    batch=st.booleans(),
)
def test_round_trips_across_rotations_derivation_and_batches(key_type: str, derived: bool,
                                                             steps: list[tuple[bytes, bytes, bool]],
                                                             batch: bool) -> None:
    harness = EngineHarness(factory)
    harness.write("keys/k", type=key_type, derived=derived)
    written: list[tuple[str, bytes, bytes]] = []
    for plaintext, context, rotate in steps:
        item = {"plaintext": b64(plaintext), **({"context": b64(context)} if derived else {})}
        if batch:
            result = harness.write("encrypt/k", batch_input=[item]).data["batch_results"][0]  # type: ignore[index]
        else:
            result = harness.write("encrypt/k", **item).data  # type: ignore[assignment]
        written.append((result["ciphertext"], plaintext, context))
        if rotate:
            harness.write("keys/k/rotate")
    items = [{"ciphertext": c, **({"context": b64(ctx)} if derived else {})} for c, _, ctx in written]
    results = harness.write("decrypt/k", batch_input=items).data["batch_results"]  # type: ignore[index]
    assert [base64.b64decode(r["plaintext"]) for r in results] == [p for _, p, _ in written]
    latest = harness.read("keys/k").data["latest_version"]  # type: ignore[index]
    harness.write("keys/k/config", min_decryption_version=latest)
    for (ciphertext, _, _), item in zip(written, items, strict=True):
        version = int(ciphertext.split(":")[1][1:])
        if version < latest:
            with pytest.raises(InvalidRequest, match=DECRYPTION_FAILED):
                harness.write("decrypt/k", **item)
        else:
            harness.write("decrypt/k", **item)


def test_cache_config_and_bad_mount_options() -> None:
    harness = EngineHarness(factory, options={"usage_limit": "many"})
    assert harness.read("cache-config").data == {"size": 0}
    assert harness.write("cache-config", size=100).data == {"size": 100}
    with pytest.raises(InvalidRequest, match="greater or equal to 10"):
        harness.write("cache-config", size=5)
    assert harness.write("config/keys").data == {"disable_upsert": False}
    assert harness.write("encrypt/k", plaintext=b64("x")).data["key_version"] == 1  # type: ignore[index]


def test_batch_with_mixed_versions_contexts_and_references(transit: EngineHarness) -> None:
    transit.write("keys/k")
    transit.write("keys/k/rotate")
    transit.write("keys/k/config", min_encryption_version=2)
    items = [{"plaintext": b64("a"), "key_version": 2, "reference": "v2"},
             {"plaintext": b64("b"), "key_version": 1, "reference": "v1"},
             {"plaintext": b64("c"), "associated_data": b64("ad"), "reference": "ad"},
             {"plaintext": b64("d"), "nonce": b64("n" * 12)}]
    response = transit.write("encrypt/k", batch_input=items)
    results = response.data["batch_results"]  # type: ignore[index]
    assert response.status == 400
    assert results[0]["key_version"] == 2 and results[0]["reference"] == "v2"
    assert "minimum encryption" in results[1]["error"] and results[1]["reference"] == "v1"
    assert results[2]["key_version"] == 2
    assert results[3]["error"] == "provided nonce not allowed for this key"
    transit.write("keys/r", type="rsa-2048")
    rsa = transit.write("encrypt/r", batch_input=[{"plaintext": b64("x")}, {"plaintext": b64("y" * 300)}])
    assert rsa.status == 400 and "too long" in rsa.data["batch_results"][1]["error"]  # type: ignore[index]


def test_rsa_oaep_hash_is_chosen_per_request(transit: EngineHarness) -> None:
    transit.write("keys/r", type="rsa-2048")
    sha1 = transit.write("encrypt/r", plaintext=b64("oaep"), hash_algorithm="sha1").data["ciphertext"]  # type: ignore[index]
    assert transit.write("decrypt/r", ciphertext=sha1, hash_algorithm="sha1").data == {"plaintext": b64("oaep")}
    with pytest.raises(InvalidRequest, match=DECRYPTION_FAILED):  # the default (SHA-256) does not open it
        transit.write("decrypt/r", ciphertext=sha1)
    rewrapped = transit.write("rewrap/r", ciphertext=sha1, hash_algorithm="sha1").data["ciphertext"]  # type: ignore[index]
    assert transit.write("decrypt/r", ciphertext=rewrapped, hash_algorithm="sha1").data == {"plaintext": b64("oaep")}
    with pytest.raises(InvalidRequest, match="unsupported hash_algorithm md5"):
        transit.write("encrypt/r", plaintext=b64("x"), hash_algorithm="md5")
    transit.write("keys/a")
    with pytest.raises(InvalidRequest, match="only valid for RSA keys"):
        transit.write("encrypt/a", plaintext=b64("x"), hash_algorithm="sha1")
    aead = transit.write("encrypt/a", plaintext=b64("x"), hash_algorithm="sha2-256").data["ciphertext"]  # type: ignore[index]
    with pytest.raises(InvalidRequest, match="only valid for RSA keys"):
        transit.write("decrypt/a", ciphertext=aead, hash_algorithm="sha1")
