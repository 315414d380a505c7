from __future__ import annotations

from types import MappingProxyType
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from strongroom.core.audit.conftest import CANARY, sample_entry
from strongroom.core.audit.redact import NON_HMAC, PREFIX, Redactor

SALT = b"s" * 32


def test_every_string_leaf_is_hashed_and_numbers_stay_clear() -> None:
    redactor = Redactor(SALT)
    out = redactor.redact(sample_entry())
    data = out["request"]["data"]["data"]
    assert data["password"] == redactor.hash(CANARY)
    assert data["empty"] == redactor.hash("")
    assert (data["n"], data["b"], data["none"], data["f"]) == (5, True, None, 1.5)
    assert out["response"]["data"]["nested"]["deep"][0]["x"] == redactor.hash(CANARY)
    assert out["response"]["data"]["raw"] == redactor.hash(CANARY)  # bytes are redacted too
    assert out["response"]["wrap_info"]["ttl"] == 60
    assert CANARY not in orjson.dumps(out).decode()


def test_tokens_and_accessors_are_hashed_everywhere() -> None:
    redactor = Redactor(SALT)
    out = redactor.redact(sample_entry())
    assert out["auth"]["client_token"] == redactor.hash(f"token-{CANARY}")
    assert out["request"]["client_token_accessor"] == redactor.hash(f"accessor-{CANARY}")
    assert out["response"]["auth"]["accessor"] == redactor.hash(f"newacc-{CANARY}")
    assert out["response"]["wrap_info"]["token"] == redactor.hash(f"wrap-{CANARY}")
    assert out["auth"]["display_name"] == "token"
    assert out["request"]["path"] == "secret/data/aud"


def test_hmac_accessor_false_leaves_accessors_clear_but_tokens_hashed() -> None:
    out = Redactor(SALT, hmac_accessor=False).redact(sample_entry())
    assert out["auth"]["accessor"] == f"accessor-{CANARY}"
    assert out["request"]["client_token_accessor"] == f"accessor-{CANARY}"
    assert out["response"]["wrap_info"]["accessor"] == f"wrapacc-{CANARY}"
    assert out["auth"]["client_token"].startswith(PREFIX)


def test_input_entry_is_not_mutated() -> None:
    entry = sample_entry()
    Redactor(SALT).redact(entry)
    assert entry == sample_entry()


def test_non_hmac_keys_stay_clear_and_the_hint_is_dropped() -> None:
    entry = sample_entry()
    entry["request"]["data"] = {"user": "alice", "password": CANARY, "tags": ["a", "b"]}
    entry["response"]["data"] = {"user": "alice", "nested": {"user": "bob", "other": "x"}}
    entry["request"]["headers"] = {"x-correlation-id": ["abc123"]}
    entry[NON_HMAC] = {
        "non_hmac_request_keys": {"user", "tags"},
        "non_hmac_response_keys": ["user"],
        "non_hmac_headers": {"x-correlation-id"},
    }
    out = Redactor(SALT).redact(entry)
    assert NON_HMAC not in out
    assert out["request"]["data"]["user"] == "alice"
    assert out["request"]["data"]["tags"] == ["a", "b"]
    assert out["request"]["data"]["password"].startswith(PREFIX)
    assert out["response"]["data"]["nested"] == {"user": "bob", "other": Redactor(SALT).hash("x")}
    assert out["request"]["headers"] == {"x-correlation-id": ["abc123"]}


def test_credential_headers_are_hashed_even_with_log_raw_and_when_exempted() -> None:
    entry = sample_entry()
    entry["request"]["headers"] = {"Authorization": [f"Bearer {CANARY}"], "X-Vault-Token": CANARY}
    entry[NON_HMAC] = {"non_hmac_headers": {"authorization", "x-vault-token"}}
    out = Redactor(SALT, log_raw=True).redact(entry)
    assert out["request"]["headers"]["X-Vault-Token"] == Redactor(SALT).hash(CANARY)
    assert out["request"]["headers"]["Authorization"][0].startswith(PREFIX)
    assert out["request"]["data"]["data"]["password"] == CANARY  # log_raw: data clear


def test_log_raw_makes_bytes_json_safe() -> None:
    out = Redactor(SALT, log_raw=True).redact({"response": {"data": {"raw": b"\x00\xff"}}})
    assert out["response"]["data"]["raw"] == "AP8="


def test_salt_changes_the_hash() -> None:
    assert Redactor(SALT).hash("x") != Redactor(b"t" * 32).hash("x")


def test_unusual_values_are_json_safe() -> None:
    class Opaque:
        def __str__(self) -> str:
            return CANARY

    redactor = Redactor(SALT)
    data = {"big": 1 << 70, "set": frozenset({"a"}), "tuple": ("b",), "obj": Opaque(), 3: "int key"}
    out = redactor.redact({"request": {"data": data}})
    encoded = orjson.dumps(out, default=redactor.default)
    assert CANARY not in encoded.decode()
    assert out["request"]["data"]["big"] == str(1 << 70)
    assert out["request"]["data"]["3"] == redactor.hash("int key")


def test_default_hashes_opaque_values_outside_redacted_parts() -> None:
    redactor = Redactor(SALT)
    encoded = orjson.dumps({"auth": {"metadata": {"blob": b"secret"}}}, default=redactor.default)
    assert b"secret" not in encoded


json_leaves = st.one_of(st.text(min_size=0, max_size=12), st.integers(-(10**6), 10**6), st.booleans(), st.none())
json_values = st.recursive(
    json_leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@given(json_values)
def test_property_every_string_leaf_becomes_an_hmac(data: Any) -> None:
    redactor = Redactor(SALT)
    out = redactor.redact({"request": {"data": data}, "response": {"data": data}})
    for part in ("request", "response"):
        leaves = _strings(out[part]["data"])
        assert leaves == [redactor.hash(s) for s in _strings(data)]


def test_mapping_and_number_subclasses_take_the_slow_path() -> None:
    class Ratio(float):
        pass

    redactor = Redactor(SALT)
    out = redactor.redact({"request": {"data": {"m": MappingProxyType({"k": "v"}), "r": Ratio(0.5)}}})
    assert out["request"]["data"] == {"m": {"k": redactor.hash("v")}, "r": 0.5}
