"""History scans against real git repositories: attribution, de-duplication, deletions, renames, merges."""

from datetime import UTC, datetime

import pytest

from conftest import GitRepo
from strongroom.scanner.checksums import github_token, strongroom_token
from strongroom.scanner.errors import SourceError
from strongroom.scanner.runner import run
from strongroom.scanner.scan import Detector
from strongroom.scanner.sources import history

TOKEN = strongroom_token("s", "Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k")
GH = github_token("ghp_", "Rt7yUi9oPa3sDf6gHj1kQz8vLm2xWk")
PASSWORD = "Zq8#rT2vLm9xWk4p"


def _scan(detector: Detector, repo: GitRepo, **options: object) -> list[tuple[str, str, str, str]]:
    findings, _ = run(detector, history(str(repo.root), skip_path=detector.skip_path, **options))  # type: ignore[arg-type]
    return sorted((f.rule_id, f.file, f.commit, f.author) for f in findings)


def test_secret_added_then_deleted_is_found_at_its_first_commit(detector: Detector, repo: GitRepo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("init")
    repo.write("app/config.py", f'TOKEN = "{TOKEN}"\n')
    added = repo.commit("add config", author="Ann <ann@example.net>")
    repo.write("app/config.py", f'TOKEN = "{TOKEN}"\nDEBUG = True\n')
    repo.commit("edit config")
    repo.write("app/config.py", "TOKEN = os.environ['TOKEN']\n")
    repo.commit("remove secret")
    findings, stats = run(detector, history(str(repo.root)))
    assert [(f.rule_id, f.file, f.commit, f.author, f.start_line) for f in findings] == [
        ("strongroom-token", "app/config.py", added, "Ann", 1)
    ]
    assert findings[0].date.startswith("2024-01-")
    assert findings[0].message == "add config"
    assert stats.targets == 4  # README and three versions of config.py, each blob once


def test_each_blob_scanned_once_across_branches_and_renames(detector: Detector, repo: GitRepo) -> None:
    repo.write("a.env", f"GITHUB_TOKEN={GH}\n")
    first = repo.commit("add")
    repo.git("mv", "a.env", "b.env")
    repo.commit("rename")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("c.txt", "feature work\n")
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("d.txt", "main work\n")
    repo.commit("main")
    repo.git("merge", "-q", "--no-edit", "feature")
    findings, stats = run(detector, history(str(repo.root)))
    assert [(f.rule_id, f.file, f.commit) for f in findings] == [("github-pat", "a.env", first)]
    assert stats.targets == 3  # the renamed blob and the merge add nothing new


def test_secret_only_on_an_unmerged_branch(detector: Detector, repo: GitRepo) -> None:
    repo.write("x.txt", "x\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "wip")
    repo.write("creds.py", f'password = "{PASSWORD}"\n')
    wip = repo.commit("wip")
    repo.git("checkout", "-q", "main")
    assert _scan(detector, repo) == [("generic-password", "creds.py", wip, "Test")]
    assert _scan(detector, repo, branch="main") == []
    assert _scan(detector, repo, branch="wip") == [("generic-password", "creds.py", wip, "Test")]


def test_merge_commit_resolution_introduces_a_secret(detector: Detector, repo: GitRepo) -> None:
    repo.write("f.txt", "base\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("f.txt", "side\n")
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("f.txt", "main\n")
    repo.commit("main")
    with pytest.raises(Exception):
        repo.git("merge", "-q", "side")
    repo.write("f.txt", f"resolved {TOKEN}\n")
    merge = repo.commit("merge side")
    assert _scan(detector, repo) == [("strongroom-token", "f.txt", merge, "Test")]


def test_range_and_since(detector: Detector, repo: GitRepo) -> None:
    repo.write("old.py", f'password = "{PASSWORD}"\n')
    old = repo.commit("old", day=1)
    repo.write("new.txt", f"{TOKEN}\n")
    new = repo.commit("new", day=20)
    assert {c for _r, _f, c, _a in _scan(detector, repo)} == {old, new}
    assert [c for _r, _f, c, _a in _scan(detector, repo, revisions=f"{old}..HEAD")] == [new]
    assert [c for _r, _f, c, _a in _scan(detector, repo, revisions=old)] == [old]
    since = datetime(2024, 1, 10, tzinfo=UTC)
    assert [c for _r, _f, c, _a in _scan(detector, repo, since=since)] == [new]


def test_crlf_utf16_and_binary_blobs(detector: Detector, repo: GitRepo) -> None:
    repo.write("win.txt", f"a\r\nb\r\ntoken = {TOKEN}\r\n".encode())
    repo.write("utf16.txt", f"x\ntoken = {GH}\n".encode("utf-16"))
    repo.write("blob.bin", b"\x00\x01" + TOKEN.encode() + b"\x00" * 10)
    repo.commit("files")
    findings, _ = run(detector, history(str(repo.root)))
    assert sorted((f.file, f.rule_id, f.start_line) for f in findings) == [
        ("utf16.txt", "github-pat", 2), ("win.txt", "strongroom-token", 3),
    ]


def test_allowlisted_paths_are_not_read(repo: GitRepo) -> None:
    from strongroom.scanner.config import Allowlist, Config

    repo.write("vendor/lib.py", f'password = "{PASSWORD}"\n')
    repo.write("src/app.py", f'password = "{PASSWORD}"\n')
    repo.commit("c")
    detector = Detector(Config(allowlists=(Allowlist(paths=("^vendor/",)),)))
    assert [f[1] for f in _scan(detector, repo)] == ["src/app.py"]


def test_threads_give_the_same_result(detector: Detector, repo: GitRepo) -> None:
    for i in range(30):
        repo.write(f"f{i}.py", f'password = "{PASSWORD}{i}"\n' if i % 3 == 0 else f"x = {i}\n")
        repo.commit(f"c{i}")
    single, _ = run(detector, history(str(repo.root)))
    multi, _ = run(detector, history(str(repo.root)), threads=4)
    assert [f.fingerprint for f in single] == [f.fingerprint for f in multi]
    assert len(single) == 10


def test_empty_repository_and_bad_inputs(detector: Detector, repo: GitRepo, tmp_path: object) -> None:
    assert _scan(detector, repo) == []
    repo.write("a", "a\n")
    repo.commit("a")
    with pytest.raises(SourceError):
        list(history(str(repo.root), revisions="no-such-ref"))
    with pytest.raises(SourceError):
        list(history("/nonexistent/path"))


def test_max_size_skips_large_blobs(detector: Detector, repo: GitRepo) -> None:
    repo.write("big.txt", f"{TOKEN}\n" + "x" * 5000)
    repo.commit("big")
    findings, stats = run(detector, history(str(repo.root)), max_bytes=1000)
    assert findings == [] and stats.skipped == 1
