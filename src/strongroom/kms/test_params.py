from __future__ import annotations

import pytest

from strongroom.kms.errors import SerializationError, TagError, ValidationError
from strongroom.kms.params import Params


def test_collects_every_violation_in_aws_style() -> None:
    p = Params({"NumberOfBytes": 2000, "Plaintext": ""})
    p.key_id()
    p.integer("NumberOfBytes", high=1024)
    p.blob("Plaintext", required=True)
    with pytest.raises(ValidationError) as caught:
        p.done()
    assert caught.value.message == (
        "3 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be "
        "null; Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or "
        "equal to 1024; Value at 'plaintext' failed to satisfy constraint: Member must have length greater than "
        "or equal to 1")


@pytest.mark.parametrize(("body", "call"), [
    ({"KeyId": 5}, lambda p: p.key_id()),
    ({"Limit": True}, lambda p: p.integer("Limit")),
    ({"Limit": "5"}, lambda p: p.integer("Limit")),
    ({"Plaintext": "not base64!"}, lambda p: p.blob("Plaintext")),
    ({"EncryptionContext": []}, lambda p: p.context()),
    ({"EncryptionContext": {"a": 1}}, lambda p: p.context()),
    ({"GrantTokens": "t"}, lambda p: p.grant_tokens()),
    ({"GrantTokens": [1]}, lambda p: p.grant_tokens()),
    ({"Tags": [{"TagKey": "a"}]}, lambda p: p.tags()),
    ({"Tags": ["a"]}, lambda p: p.tags()),
    ({"DryRun": "yes"}, lambda p: p.boolean("DryRun")),
])
def test_wrong_json_types_are_serialization_errors(body: dict[str, object], call: object) -> None:
    with pytest.raises(SerializationError):
        call(Params(body))  # type: ignore[operator]


def test_enums_patterns_lists_and_contexts() -> None:
    p = Params({"KeySpec": "AES_512", "AliasName": "alias/bad name", "GrantTokens": ["t"] * 11,
                "EncryptionContext": {"k": "v" * 9000}, "Tags": [{"TagKey": "", "TagValue": "v"}]})
    assert p.enum("KeySpec", ("AES_256",)) is None
    p.string("AliasName", pattern=r"^[a-zA-Z0-9:/_-]+$")
    p.grant_tokens()
    p.context()
    assert p.tags() == {}
    with pytest.raises(ValidationError) as caught:
        p.done()
    assert caught.value.message.startswith("5 validation errors detected")
    with pytest.raises(TagError):
        Params({"Tags": [{"TagKey": "aws:x", "TagValue": ""}]}).tags()
    ok = Params({"EncryptionContext": {"a": "b"}, "GrantTokens": [], "DryRun": True})
    assert ok.context() == {"a": "b"} and ok.strings("GrantTokens") == [] and ok.boolean("DryRun")
    ok.done()
