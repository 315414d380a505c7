from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from strongroom.core.audit.chain import START
from strongroom.core.audit.verify import VerifyResult, verify_file, verify_lines


def _chain(count: int) -> list[bytes]:
    lines, link = [], START
    for n in range(count):
        line, link = link.next_line(b'{"n":%d,"secret":"hmac-sha256:ab"}' % n)
        lines.append(line)
    return lines


def _verify(lines: list[bytes], tmp_path: Path) -> VerifyResult:
    path = tmp_path / "audit.log"
    path.write_bytes(b"".join(lines))
    return verify_file(path)


def test_intact_chain(tmp_path: Path) -> None:
    lines = _chain(5)
    last = hashlib.sha256(lines[-1].rstrip(b"\n")).hexdigest()
    assert _verify(lines, tmp_path) == VerifyResult(True, 5, None, "5 lines, chain intact", last)


def test_empty_file_is_intact(tmp_path: Path) -> None:
    assert _verify([], tmp_path).ok


def test_edited_line_is_named(tmp_path: Path) -> None:
    lines = _chain(5)
    lines[2] = lines[2].replace(b'"n":2', b'"n":9')
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line, result.lines) == (False, 3, 5)
    assert "modified" in result.reason


def test_deleted_line_is_a_gap(tmp_path: Path) -> None:
    lines = _chain(5)
    del lines[2]
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line, result.lines) == (False, 3, 4)
    assert "missing" in result.reason


def test_reordered_lines(tmp_path: Path) -> None:
    lines = _chain(5)
    lines[1], lines[2] = lines[2], lines[1]
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line, result.lines) == (False, 2, 5)
    assert "out of order" in result.reason


def test_truncated_last_line(tmp_path: Path) -> None:
    lines = _chain(3)
    lines[-1] = lines[-1][:20]
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line) == (False, 3)
    assert "truncated" in result.reason


def test_deleted_head(tmp_path: Path) -> None:
    result = _verify(_chain(3)[1:], tmp_path)
    assert (result.ok, result.first_bad_line) == (False, 1)


def test_seq_edited_but_hash_kept(tmp_path: Path) -> None:
    lines = _chain(3)
    lines[2] = lines[2].replace(b'"seq":3', b'"seq":4')
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line) == (False, 3)


def test_second_chain_spliced_in(tmp_path: Path) -> None:
    result = _verify(_chain(2) + _chain(2), tmp_path)
    assert (result.ok, result.first_bad_line) == (False, 3)


def test_duplicated_line(tmp_path: Path) -> None:
    lines = _chain(3)
    lines.insert(2, lines[1])
    result = _verify(lines, tmp_path)
    assert (result.ok, result.first_bad_line) == (False, 3)


@pytest.mark.parametrize("bad", [b"not json\n", b"[1,2]\n", b'{"seq":1}\n', b"\n"])
def test_unparseable_or_unchained_line(bad: bytes) -> None:
    result = verify_lines([*_chain(1), bad, *_chain(1)])
    assert (result.ok, result.first_bad_line, result.lines) == (False, 2, 3)


def test_gap_followed_by_garbage_is_reported_as_missing_lines() -> None:
    lines = _chain(4)
    result = verify_lines([lines[0], lines[2], b"garbage\n"])
    assert (result.first_bad_line, result.lines) == (2, 3)
    assert "missing" in result.reason
