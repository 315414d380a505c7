from __future__ import annotations

from strongroom.core.tokens.token_format import BATCH, is_valid, new_token


def test_new_tokens_validate_and_differ() -> None:
    first, second = new_token(), new_token()
    assert first != second
    assert first.startswith("sr.s.") and len(first) == 5 + 32 + 6
    assert is_valid(first) and is_valid(second)
    assert new_token(BATCH).startswith("sr.b.")


def test_any_single_character_change_breaks_the_checksum() -> None:
    token = new_token()
    for index in range(5, len(token)):
        replacement = "A" if token[index] != "A" else "B"
        assert not is_valid(token[:index] + replacement + token[index + 1 :])


def test_other_shapes_are_not_tokens() -> None:
    assert not is_valid("s.abcdefghijklmnopqrstuvwx")
    assert not is_valid("root")
    assert not is_valid(new_token() + "x")
