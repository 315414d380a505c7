"""Precision and recall per rule on the generated labelled corpus, plus hard negatives."""

import random
from collections import Counter
from pathlib import Path

import pytest
import scan_corpus as corpus

from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.scan import Detector

SEED = 20260501
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def _norm(text: str) -> str:
    return text.replace("\\n", "\n")


@pytest.fixture(scope="module")
def scored(detector: Detector) -> tuple[Counter[str], Counter[str], Counter[str]]:
    rng = random.Random(SEED)
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for sample in corpus.positives(rng):
        total[sample.rule_id] += 1
        hit = False
        for finding in detector.scan(sample.text.encode(), sample.path):
            same = _norm(sample.secret) in _norm(finding.secret) or _norm(finding.secret) in _norm(sample.secret)
            if finding.rule_id == sample.rule_id and same:
                hit = True
            else:
                false_pos[finding.rule_id] += 1
        true_pos[sample.rule_id] += hit
    for path, text in corpus.negatives(rng):
        for finding in detector.scan(text.encode(), path):
            false_pos[finding.rule_id] += 1
    return true_pos, false_pos, total


def test_at_least_150_kinds_with_unique_ids() -> None:
    ids = [r.id for r in DETECTORS]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 150


def test_every_rule_has_positives(scored: tuple[Counter[str], Counter[str], Counter[str]]) -> None:
    _tp, _fp, total = scored
    assert {r.id for r in DETECTORS} == set(total)


@pytest.mark.parametrize("rule_id", [r.id for r in DETECTORS])
def test_precision_and_recall_per_kind(
    scored: tuple[Counter[str], Counter[str], Counter[str]], rule_id: str
) -> None:
    true_pos, false_pos, total = scored
    recall = true_pos[rule_id] / total[rule_id]
    reported = true_pos[rule_id] + false_pos[rule_id]
    precision = true_pos[rule_id] / reported if reported else 0.0
    assert recall >= MIN_RECALL, f"{rule_id}: recall {recall:.2f} ({true_pos[rule_id]}/{total[rule_id]})"
    assert precision >= MIN_PRECISION, f"{rule_id}: precision {precision:.2f} ({false_pos[rule_id]} false positives)"


def test_overall_scores(scored: tuple[Counter[str], Counter[str], Counter[str]]) -> None:
    true_pos, false_pos, total = scored
    tp = sum(true_pos.values())
    assert tp / sum(total.values()) >= 0.99
    assert tp / (tp + sum(false_pos.values())) >= 0.99


@pytest.mark.parametrize("index", range(len(corpus.negatives(random.Random(0)))))
def test_hard_negatives(detector: Detector, index: int) -> None:
    path, text = corpus.negatives(random.Random(SEED + index))[index]
    assert [(f.rule_id, f.secret) for f in detector.scan(text.encode(), path)] == []


def test_clean_source_tree_has_few_false_positives(detector: Detector) -> None:
    """Python's own standard library (outside its test suite) is a large body of code with no secrets."""
    root = Path(random.__file__).parent
    lines = findings = 0
    paths = [*sorted(root.glob("*.py")), *sorted((root / "email").glob("*.py")), *sorted((root / "http").glob("*.py"))]
    for path in paths:
        data = path.read_bytes()
        lines += data.count(b"\n")
        findings += len(detector.scan(data, path.name))
    assert lines > 50_000
    assert findings / lines * 10_000 < 1.0  # under one false positive per 10k lines


def test_utf16_and_crlf(detector: Detector) -> None:
    rng = random.Random(SEED)
    rule = next(r for r in DETECTORS if r.id == "strongroom-token")
    value = corpus.value_for(rule, rng)
    text = f"line one\r\ntoken = {value}\r\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode()):
        found = detector.scan(data, "x.txt")
        assert [(f.rule_id, f.secret, f.start_line) for f in found] == [("strongroom-token", value, 2)]


def test_binary_files_are_skipped(detector: Detector) -> None:
    rng = random.Random(SEED)
    value = corpus.value_for(next(r for r in DETECTORS if r.id == "github-pat"), rng)
    data = b"\x00\x01\x02ELF" + rng.randbytes(4000) + value.encode() + b"\x00"
    assert detector.scan(data, "a.out") == []


def test_large_file(detector: Detector) -> None:
    rng = random.Random(SEED)
    value = corpus.value_for(next(r for r in DETECTORS if r.id == "github-pat"), rng)
    filler = b"const x = compute(a, b); // ordinary code line\n" * 220_000  # ~10 MB
    found = detector.scan(filler + f"gh = '{value}'\n".encode(), "big.js")
    assert [(f.rule_id, f.start_line) for f in found] == [("github-pat", 220_001)]
