from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from strongroom.core.audit.chain import START, ZERO_HASH, Link, line_hash, link_of, read_tail


def _write(path: Path, data: bytes) -> int:
    path.write_bytes(data)
    return os.open(path, os.O_RDONLY)


def test_next_line_appends_seq_and_prev_hash() -> None:
    line, link = START.next_line(b'{"a":1}')
    assert orjson.loads(line) == {"a": 1, "seq": 1, "prev_hash": ZERO_HASH}
    assert line.endswith(b"\n")
    assert link == Link(1, line_hash(line[:-1]))
    second, _ = link.next_line(b'{"b":2}')
    assert orjson.loads(second)["prev_hash"] == link.hash


@pytest.mark.parametrize("body", [b"{}", b"[1]", b'"x"'])
def test_next_line_refuses_anything_but_a_non_empty_object(body: bytes) -> None:
    with pytest.raises(ValueError):
        START.next_line(body)


def test_link_of_a_foreign_line_restarts_numbering() -> None:
    assert link_of(b"not json").seq == 0
    assert link_of(b'{"seq":"7"}').seq == 0
    assert link_of(b'{"seq":7}').seq == 7


def test_read_tail_of_an_empty_file(tmp_path: Path) -> None:
    fd = _write(tmp_path / "f", b"")
    assert read_tail(fd, 0) == (START, 0)
    os.close(fd)


def test_read_tail_finds_the_last_complete_line(tmp_path: Path) -> None:
    first, link = START.next_line(b'{"a":1}')
    second, link = link.next_line(b'{"a":"' + b"x" * 200_000 + b'"}')  # longer than one read chunk
    data = first + second
    fd = _write(tmp_path / "f", data)
    assert read_tail(fd, len(data)) == (link, len(data))
    os.close(fd)


def test_read_tail_reports_a_torn_last_line(tmp_path: Path) -> None:
    first, link = START.next_line(b'{"a":1}')
    data = first + b'{"torn'
    fd = _write(tmp_path / "f", data)
    assert read_tail(fd, len(data)) == (link, len(first))
    os.close(fd)


def test_read_tail_of_a_file_with_only_a_torn_line(tmp_path: Path) -> None:
    fd = _write(tmp_path / "f", b'{"torn')
    assert read_tail(fd, 6) == (START, 0)
    os.close(fd)
