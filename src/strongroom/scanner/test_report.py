import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.report import FORMATS, mask, render
from strongroom.scanner.scan import Finding

SECRET = "Zq8#rT2vLm9xWk4pQz8vLm2x"
FINDING = Finding(
    "generic-password", "Password", "src/a.py", 3, 3, 12, 35, SECRET, f'password = "{SECRET}"', 4.2,
    commit="c0ffee" * 6 + "abcd", author="Ann", email="ann@example.net", date="2026-01-02T03:04:05Z",
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_redact_leaves_no_secret(fmt: str) -> None:
    out = render(fmt, [FINDING], redact=True, rules=DETECTORS)
    assert SECRET not in out
    assert SECRET[:8] not in out


@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif", "csv"])
def test_secret_present_without_redact(fmt: str) -> None:
    assert SECRET in render(fmt, [FINDING], redact=False, rules=DETECTORS)


def test_json_fields() -> None:
    [data] = json.loads(render("json", [FINDING], redact=False, rules=DETECTORS))
    for key in ("rule_id", "description", "file", "start_line", "end_line", "commit", "author", "date", "secret",
                "fingerprint"):
        assert key in data
    [redacted] = json.loads(render("json", [FINDING], redact=True, rules=DETECTORS))
    assert "secret" not in redacted and redacted["fingerprint"] == data["fingerprint"]


def test_jsonl_and_csv() -> None:
    lines = render("jsonl", [FINDING, FINDING], redact=False, rules=DETECTORS).splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["rule_id"] == "generic-password"
    rows = list(csv.DictReader(io.StringIO(render("csv", [FINDING], redact=False, rules=DETECTORS))))
    assert rows[0]["file"] == "src/a.py" and rows[0]["secret"] == SECRET


def test_junit_is_xml() -> None:
    root = ET.fromstring(  # noqa: S314 - our own output
        render("junit", [FINDING], redact=True, rules=DETECTORS))
    assert root.attrib["failures"] == "1"
    empty = ET.fromstring(render("junit", [], redact=True, rules=DETECTORS))  # noqa: S314 - our own output
    assert empty.attrib["failures"] == "0"


def test_text_with_colour_and_summary() -> None:
    out = render("text", [FINDING], redact=False, rules=DETECTORS, colour=True)
    assert "\x1b[31m" in out and "1 finding(s)" in out and SECRET not in out
    assert render("text", [], redact=False, rules=DETECTORS).strip() == "no leaks found"


def test_mask() -> None:
    assert mask("short") == "REDACTED"
    assert mask(SECRET).startswith(SECRET[:4])


def test_sarif_uris_are_percent_encoded() -> None:
    spaced = Finding("generic-password", "Password", "my dir/a b.py", 1, 1, 1, 5, SECRET, "x", 4.0)
    [result] = json.loads(render("sarif", [spaced], redact=True, rules=DETECTORS))["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%20b.py"
