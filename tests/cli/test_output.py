"""Table rendering helpers, which mimic the Vault CLI's look."""

from __future__ import annotations

import pytest

from strongroom.cli.commands._output import columns, fmt_value, go_duration, kv_table


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (45, "45s"), (90, "1m30s"), (3600, "1h"), (5400, "1h30m"), (3605, "1h0m5s"), (2764800, "768h")],
)
def test_go_duration(seconds: int, text: str) -> None:
    assert go_duration(seconds) == text


def test_fmt_value_looks_like_go() -> None:
    assert fmt_value(None) == "<nil>"
    assert fmt_value(True) == "true"
    assert fmt_value(["a", 1]) == "[a 1]"
    assert fmt_value({"b": 2, "a": [1]}) == "map[a:[1] b:2]"


def test_tables_align_columns_and_mark_empty_values() -> None:
    assert kv_table([("created_time", "t"), ("deletion_time", "")]) == (
        "Key              Value\n---              -----\ncreated_time     t\ndeletion_time    n/a"
    )
    assert columns(("Keys",), [("a",), ("b/",)]) == "Keys\n----\na\nb/"
