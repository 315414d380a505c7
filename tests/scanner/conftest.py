import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # scan_corpus

from strongroom.scanner.conftest import http_recorder  # noqa: F401 - shared fixture
from strongroom.scanner.scan import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


class GitRepo:
    """A real git repository in a temporary directory, driven through the git CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tick = 0
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.net")
        self.git("config", "core.autocrlf", "false")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True,
            env={**os.environ, **(env or {})},
        )
        return result.stdout.strip()

    def write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        target.write_bytes(content)
        self.git("add", path)

    def commit(self, message: str, author: str = "Test <test@example.net>", day: int | None = None) -> str:
        self._tick += 1
        when = f"2024-01-{day or min(self._tick, 28):02d}T12:00:{self._tick % 60:02d}Z"
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        self.git("commit", "-q", "--allow-empty", "-m", message, f"--author={author}", env=env)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[GitRepo]:
    yield GitRepo(tmp_path / "repo")


@pytest.fixture(autouse=True)
def _repo_dir(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir(exist_ok=True)
