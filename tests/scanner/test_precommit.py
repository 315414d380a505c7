"""`pre-commit try-repo` against this repository's `.pre-commit-hooks.yaml` (installs the hook for real)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GitRepo
from strongroom.scanner.checksums import strongroom_token

ROOT = Path(__file__).resolve().parents[2]
TOKEN = strongroom_token("s", "Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k")


@pytest.mark.timeout(600)
def test_pre_commit_try_repo(repo: GitRepo, tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    assert pre_commit, "pre-commit is a test dependency"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), "strongroom-scan"],
            cwd=repo.root, env=env, capture_output=True, text=True, timeout=540,
        )

    repo.write("clean.txt", "nothing to see\n")
    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr

    repo.write("deploy.env", f"STRONGROOM_TOKEN={TOKEN}\n")
    leaky = try_repo()
    assert leaky.returncode == 1
    assert "strongroom-token" in leaky.stdout and "deploy.env:1" in leaky.stdout
    assert TOKEN not in leaky.stdout + leaky.stderr
