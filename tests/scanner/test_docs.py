"""The scanner's documentation and integration files stay true to the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from strongroom.scanner.detectors import DETECTORS
from strongroom.scanner.managed import wire_fingerprint

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is a test dependency"
    return found


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs" / "scanning.md").read_text()
    missing = [r.id for r in DETECTORS if f"`{r.id}`" not in text]
    assert missing == []
    assert f"{len(DETECTORS)} rules" in text


def test_fingerprint_test_vectors_match_the_code() -> None:
    text = (ROOT / "docs" / "scan-fingerprints.md").read_text()
    assert wire_fingerprint("correct horse battery staple") in text
    assert wire_fingerprint("sr.s.Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k1i7OXO") in text


def test_example_workflow_is_a_valid_github_workflow() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         str(ROOT / "examples" / "github-actions-scan.yml")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("manifest", [".pre-commit-hooks.yaml"])
def test_pre_commit_manifest_is_valid(manifest: str) -> None:
    result = subprocess.run([_tool("pre-commit"), "validate-manifest", str(ROOT / manifest)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
