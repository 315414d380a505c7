from __future__ import annotations

import pytest

from strongroom.kms import identifiers
from strongroom.kms.errors import InvalidAliasNameError, InvalidArnError, NotFoundError

ARNS = identifiers.Arns("aws", "eu-west-1", "123456789012")
KEY = "0b1c2d3e-0000-4000-8000-000000000000"


def test_key_ids_and_key_arns() -> None:
    assert identifiers.parse(KEY, ARNS).key_id == KEY
    assert identifiers.parse(ARNS.key(KEY), ARNS).key_id == KEY
    assert ARNS.key(KEY) == f"arn:aws:kms:eu-west-1:123456789012:key/{KEY}"


def test_aliases_and_alias_arns() -> None:
    assert identifiers.parse("alias/a/b", ARNS).alias == "alias/a/b"
    assert identifiers.parse(ARNS.alias("alias/a:b"), ARNS).alias == "alias/a:b"
    with pytest.raises(NotFoundError):
        identifiers.parse("alias/a", ARNS, aliases=False)


@pytest.mark.parametrize("text", [
    f"arn:aws:kms:us-east-1:123456789012:key/{KEY}",   # another region
    f"arn:aws:kms:eu-west-1:999999999999:key/{KEY}",   # another account
    f"arn:aws-cn:kms:eu-west-1:123456789012:key/{KEY}",  # another partition
    "bad key id!", "alias/bad name",
])
def test_names_of_nothing_here(text: str) -> None:
    with pytest.raises(NotFoundError):
        identifiers.parse(text, ARNS)


def test_malformed_arn() -> None:
    with pytest.raises(InvalidArnError):
        identifiers.parse("arn:aws:s3:::bucket", ARNS)


@pytest.mark.parametrize("name", ["alias/aws/x", "alias/aws", "alias/", "foo", "alias/sp ace", "alias/x~y"])
def test_new_alias_names_are_checked(name: str) -> None:
    with pytest.raises(InvalidAliasNameError):
        identifiers.check_alias_name(name)


def test_alias_storage_names_round_trip() -> None:
    for name in ("alias/a", "alias/a/b/c", "alias/x:y_z-1"):
        stored = identifiers.alias_storage_name(name)
        assert "/" not in stored and identifiers.alias_from_storage(stored) == name
