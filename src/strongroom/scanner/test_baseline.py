from dataclasses import replace
from pathlib import Path

import pytest

from strongroom.scanner.baseline import load_baseline, write_baseline
from strongroom.scanner.errors import BaselineError
from strongroom.scanner.scan import Finding

SECRET = "Zq8#rT2vLm9xWk4p"


def _finding(path: str = "a.py", secret: str = SECRET) -> Finding:
    return Finding("generic-password", "d", path, 1, 1, 1, 10, secret, f'pw = "{secret}"', 4.0)


def test_baseline_stores_hashes_only(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, [_finding()])
    text = path.read_text()
    assert SECRET not in text and "pw =" not in text
    baseline = load_baseline(path)
    assert baseline.accepts(_finding())
    assert baseline.accepts(_finding(path="renamed.py"))  # the secret hash survives a rename
    assert not baseline.accepts(_finding(secret="Another#Secret99"))


def test_filter(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, [_finding()])
    new = replace(_finding(secret="Another#Secret99"), start_line=7)
    assert load_baseline(path).filter([_finding(), new]) == [new]


@pytest.mark.parametrize("content", ["not json", '{"version": 9, "findings": []}', '{"findings": [{}]}'])
def test_bad_baseline(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError):
        load_baseline(path)


def test_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(BaselineError):
        load_baseline(tmp_path / "absent.json")
