from pathlib import Path

import pytest

from strongroom.scanner.config import ConfigError, load_config, merge, parse_config
from strongroom.scanner.scan import Detector

OURS = """
[[rules]]
id = "acme-token"
description = "ACME internal token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]

[allowlist]
paths = ['''^vendor/''']
regexes = ['''^acme_0''']
stopwords = ["fixture"]
commits = ["c0ffee"]
"""

GITLEAKS = """
title = "gitleaks config"
[extend]
useDefault = true

[[rules]]
id = "internal-key"
description = "Internal key"
regex = '''(?i)internal_key\\s*=\\s*['"]([a-z0-9]{20})['"]'''
secretGroup = 1
keywords = ["internal_key"]
  [[rules.allowlists]]
  regexes = ['''^test''']

[[rules]]
id = "pem-files"
path = '''\\.pem$'''

[[allowlists]]
description = "docs"
paths = ['''^docs/''']
"""

SECRET = "acme_q8w7e6r5t4y3u2i1o0p9z8x7"


def test_our_config_adds_rules_and_allowlists() -> None:
    detector = Detector(parse_config(__import__("tomllib").loads(OURS)))
    assert [f.rule_id for f in detector.scan(f"k = {SECRET}\n".encode(), "src/a.py")] == ["acme-token"]
    assert detector.scan(f"k = {SECRET}\n".encode(), "vendor/a.py") == []
    assert detector.skip_path("vendor/lib.py")
    assert detector.scan(b"k = acme_0q8w7e6r5t4y3u2i1o0p9z8\n", "a.py") == []
    assert detector.scan(b"k = acme_fixture6r5t4y3u2i1o0p9\n", "a.py") == []
    assert detector.scan(f"k = {SECRET}\n".encode(), "a.py", commit="c0ffee") == []


def test_gitleaks_config(tmp_path: Path) -> None:
    path = tmp_path / ".gitleaks.toml"
    path.write_text(GITLEAKS)
    detector = Detector(load_config(path))
    found = detector.scan(b"internal_key = 'q8w7e6r5t4y3u2i1o0p9'\n", "a.py")
    assert [(f.rule_id, f.secret) for f in found] == [("internal-key", "q8w7e6r5t4y3u2i1o0p9")]
    assert detector.scan(b"internal_key = 'testq8w7e6r5t4y3u2i1'\n", "a.py") == []
    assert detector.scan(b"internal_key = 'q8w7e6r5t4y3u2i1o0p9'\n", "docs/a.md") == []


def test_use_default_false_drops_builtin_rules() -> None:
    config = parse_config({"use_default": False, "rules": [{"id": "x", "regex": "zz[0-9]{8}"}]})
    assert [r.id for r in Detector(config).rules] == ["x"]


def test_merge() -> None:
    a = parse_config({"rules": [{"id": "a", "regex": "a{3}"}]}, "a")
    b = parse_config({"allowlist": {"paths": ["x"]}}, "b")
    merged = merge(a, b)
    assert [r.id for r in merged.rules] == ["a"] and len(merged.allowlists) == 1 and merged.sources == ("a", "b")


@pytest.mark.parametrize(
    "data",
    [
        {"rules": [{"regex": "x"}]},
        {"rules": [{"id": "x", "regex": "(?<=a)b"}]},
        {"rules": [{"id": "x", "regex": "a", "secretGroup": 3}]},
        {"allowlist": {"paths": "not-a-list"}},
    ],
)
def test_invalid_config(data: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        parse_config(data)


def test_invalid_allowlist_regex() -> None:
    with pytest.raises(ConfigError):
        Detector(parse_config({"allowlist": {"regexes": ["(?<=x)"]}}))


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]\n")
    with pytest.raises(ConfigError):
        load_config(bad)
