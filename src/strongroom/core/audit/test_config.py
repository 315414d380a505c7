from __future__ import annotations

import pytest

from strongroom.core.audit.config import normalize_path, parse_config
from strongroom.sdk.errors import InvalidRequest


@pytest.mark.parametrize(("given", "expected"), [("file", "file/"), ("file/", "file/"), ("/a/b/", "a/b/")])
def test_normalize_path(given: str, expected: str) -> None:
    assert normalize_path(given) == expected


@pytest.mark.parametrize("bad", ["", "/", "a//b", "..", "a/../b", ".hidden", "a b"])
def test_normalize_path_rejects(bad: str) -> None:
    with pytest.raises(InvalidRequest):
        normalize_path(bad)


def test_parse_config_defaults_and_flags() -> None:
    config = parse_config("file", "file", {"file_path": "/x"})
    assert (config.hmac_accessor, config.log_raw, config.mode) == (True, False, 0o600)
    config = parse_config("f", "file", {"file_path": "/x", "hmac_accessor": "False", "log_raw": "1", "mode": "0"})
    assert (config.hmac_accessor, config.log_raw, config.mode) == (False, True, None)


@pytest.mark.parametrize(
    "options",
    [
        {"file_path": "/x", "hmac_accessor": "maybe"},
        {"file_path": "/x", "mode": "9"},
        {"file_path": "/x", "mode": "1777"},
        {"file_path": "/x", "format": "jsonx"},
    ],
)
def test_parse_config_rejects_bad_options(options: dict[str, str]) -> None:
    with pytest.raises(InvalidRequest):
        parse_config("file", "file", options)
