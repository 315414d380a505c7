"""`strongroom scan` end to end: sources, exit codes, formats, SARIF schema, baseline, config, webhook."""

import io
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import GitRepo
from strongroom.cli.main import main
from strongroom.scanner.checksums import github_token, strongroom_token

TOKEN = strongroom_token("s", "Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k")
GH = github_token("ghp_", "Rt7yUi9oPa3sDf6gHj1kQz8vLm2xWk")
PASSWORD = "Zq8#rT2vLm9xWk4p"
SCHEMA = json.loads((Path(__file__).parent / "testdata" / "sarif-schema-2.1.0.json").read_text())


def scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def leaky(repo: GitRepo) -> GitRepo:
    repo.write("src/app.py", f'password = "{PASSWORD}"\n')
    repo.write(".env", f"GITHUB_TOKEN={GH}\n")
    repo.commit("add app", author="Ann <ann@example.net>")
    repo.write("ops/deploy.sh", f"export STRONGROOM_TOKEN={TOKEN}\n")
    repo.commit("deploy script")
    return repo


def test_exit_codes(capsys: pytest.CaptureFixture[str], leaky: GitRepo, repo: GitRepo, tmp_path: Path) -> None:
    assert scan(capsys, "git", str(leaky.root))[0] == 1
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.txt").write_text("nothing here\n")
    assert scan(capsys, "dir", str(clean))[0] == 0
    code, _out, err = scan(capsys, "git", str(tmp_path / "nope"))
    assert code == 2 and "not a git repository" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]]\nid='x'\nregex='(?<=a)'\n")
    assert scan(capsys, "dir", str(clean), "--config", str(bad))[0] == 2


def test_a_repository_libgit2_cannot_read_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import subprocess

    root = tmp_path / "sha256"
    subprocess.run(["git", "init", "-q", "--object-format=sha256", str(root)], check=True)
    code, _out, err = scan(capsys, "git", str(root))
    assert code == 2 and "cannot read the git repository" in err and "sha256" in err
    assert "Traceback" not in err


def test_json_report_fields(capsys: pytest.CaptureFixture[str], leaky: GitRepo) -> None:
    code, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json")
    findings = json.loads(out)
    assert code == 1
    assert sorted(f["rule_id"] for f in findings) == ["generic-password", "github-pat", "strongroom-token"]
    app = next(f for f in findings if f["file"] == "src/app.py")
    assert app["author"] == "Ann" and app["secret"] == PASSWORD and app["start_line"] == 1
    assert len(app["commit"]) == 40 and app["date"].startswith("2024-01-")


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "junit", "csv"])
def test_redact_leaves_no_secret_in_any_format(
    capsys: pytest.CaptureFixture[str], leaky: GitRepo, tmp_path: Path, fmt: str
) -> None:
    report = tmp_path / f"report.{fmt}"
    code, out, _ = scan(capsys, "git", str(leaky.root), "-f", fmt, "--redact", "--report-path", str(report))
    text = report.read_text()
    assert code == 1 and out == "" and text
    for secret in (PASSWORD, GH, TOKEN):
        assert secret not in text


def test_sarif_is_valid_and_fingerprints_are_stable(capsys: pytest.CaptureFixture[str], leaky: GitRepo) -> None:
    _, first, _ = scan(capsys, "git", str(leaky.root), "-f", "sarif")
    _, second, _ = scan(capsys, "git", str(leaky.root), "-f", "sarif", "--threads", "3")
    sarif = json.loads(first)
    jsonschema.validate(sarif, SCHEMA)
    jsonschema.validate(json.loads(render_empty_sarif(capsys, leaky)), SCHEMA)

    def prints(doc: str) -> list[str]:
        results = json.loads(doc)["runs"][0]["results"]
        return sorted(r["partialFingerprints"]["strongroomFingerprint/v1"] for r in results)

    assert prints(first) == prints(second) and len(prints(first)) == 3


def render_empty_sarif(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> str:
    empty = repo.root / "empty-dir"
    empty.mkdir()
    return scan(capsys, "dir", str(empty), "-f", "sarif")[1]


def test_baseline_workflow(capsys: pytest.CaptureFixture[str], leaky: GitRepo, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert scan(capsys, "git", str(leaky.root), "--write-baseline", str(baseline))[0] == 1
    for secret in (PASSWORD, GH, TOKEN):
        assert secret not in baseline.read_text()
    assert scan(capsys, "git", str(leaky.root), "--baseline", str(baseline))[0] == 0
    leaky.write("new.py", f'api_key = "{PASSWORD}XY9"\n')
    leaky.commit("another")
    code, out, _ = scan(capsys, "git", str(leaky.root), "--baseline", str(baseline), "-f", "json")
    assert code == 1 and [f["file"] for f in json.loads(out)] == ["new.py"]


def test_staged_scans_only_added_lines(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.write("old.py", f'password = "{PASSWORD}"\n')
    repo.commit("legacy secret")
    assert scan(capsys, "staged", str(repo.root))[0] == 0
    repo.write("old.py", f'password = "{PASSWORD}"\nx = 1\n')  # modified, secret line unchanged
    assert scan(capsys, "staged", str(repo.root))[0] == 0
    repo.write("new.env", f"TOKEN={TOKEN}\n")
    code, out, _ = scan(capsys, "staged", str(repo.root), "-f", "json")
    assert code == 1 and [(f["file"], f["rule_id"]) for f in json.loads(out)] == [("new.env", "strongroom-token")]


def test_staged_in_a_fresh_repository(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    repo.write("first.env", f"TOKEN={TOKEN}\n")
    assert scan(capsys, "staged", str(repo.root))[0] == 1


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(f"x\ntoken: {TOKEN}\n".encode()))
    monkeypatch.setattr(sys, "stdin", stream)
    code, out, _ = scan(capsys, "stdin", "--label", "piped.txt", "-f", "jsonl")
    assert code == 1 and json.loads(out)["file"] == "piped.txt" and json.loads(out)["start_line"] == 2


def test_dir_gitignore_and_inline_allow(capsys: pytest.CaptureFixture[str], repo: GitRepo) -> None:
    root = repo.root
    (root / ".gitignore").write_text("local.env\n")
    (root / "local.env").write_text(f"TOKEN={TOKEN}\n")
    (root / "tracked.py").write_text(f'password = "{PASSWORD}"  # strongroom:allow\n')
    (root / "other.py").write_text(f'password = "{PASSWORD}"  # gitleaks:allow\nsecret = "{PASSWORD}"\n')
    _code, out, _ = scan(capsys, "dir", str(root), "-f", "json")
    assert sorted((f["file"], f["start_line"]) for f in json.loads(out)) == [("local.env", 1), ("other.py", 2)]
    _code, out, _ = scan(capsys, "dir", str(root), "-f", "json", "--gitignore")
    assert [(f["file"], f["start_line"]) for f in json.loads(out)] == [("other.py", 2)]


def test_config_discovery_and_gitleaks_file(capsys: pytest.CaptureFixture[str], leaky: GitRepo) -> None:
    (leaky.root / ".gitleaks.toml").write_text("[allowlist]\npaths = ['''^src/''', '''^ops/''']\n")
    _code, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json")
    assert [f["file"] for f in json.loads(out)] == [".env"]
    _code, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json", "--no-default-config")
    assert len(json.loads(out)) == 3


def test_webhook_alert(capsys: pytest.CaptureFixture[str], leaky: GitRepo, http_recorder: object) -> None:
    code, _, _ = scan(capsys, "git", str(leaky.root), "--webhook", http_recorder.url)  # type: ignore[attr-defined]
    [(_path, _headers, body)] = http_recorder.requests  # type: ignore[attr-defined]
    assert code == 1 and "3 secret(s)" in body["text"] and TOKEN not in json.dumps(body)


def test_managed_check(capsys: pytest.CaptureFixture[str], leaky: GitRepo, http_recorder: object) -> None:
    from strongroom.scanner.managed import wire_fingerprint

    fp = wire_fingerprint(TOKEN)
    http_recorder.reply = {"data": {"matches": [  # type: ignore[attr-defined]
        {"fingerprint": fp, "mount": "secret", "path": "ci/deploy", "version": 4}]}}
    _code, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json", "--redact",
                        "--server", http_recorder.url, "--token", "t")  # type: ignore[attr-defined]
    managed = {f["rule_id"]: f.get("managed") for f in json.loads(out)}
    assert managed["strongroom-token"] == "secret/ci/deploy (version 4)"
    assert managed["github-pat"] is None


def test_text_output_and_progress_flag(capsys: pytest.CaptureFixture[str], leaky: GitRepo) -> None:
    code, out, err = scan(capsys, "git", str(leaky.root), "--no-color", "--threads", "2")
    assert code == 1 and "strongroom-token" in out and "3 finding(s)" in out and TOKEN not in out
    assert err == ""  # no progress bar when stderr is not a terminal


def test_history_filters_through_the_cli(capsys: pytest.CaptureFixture[str], leaky: GitRepo) -> None:
    first = leaky.git("rev-list", "--max-parents=0", "HEAD")
    _c, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json", "--log-opts", f"{first}..HEAD")
    assert [f["file"] for f in json.loads(out)] == ["ops/deploy.sh"]
    _c, out, _ = scan(capsys, "git", str(leaky.root), "-f", "json", "--branch", "main", "--since", "2024-01-01")
    assert len(json.loads(out)) == 3
    code, _out, err = scan(capsys, "git", str(leaky.root), "--since", "yesterday-ish")
    assert code == 2 and "--since" in err
    code, _out, err = scan(capsys, "git", str(leaky.root), "--branch", "no-such-branch")
    assert code == 2 and "unknown revision" in err


def test_missing_directory_and_bad_baseline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert scan(capsys, "dir", str(tmp_path / "absent"))[0] == 2
    bad = tmp_path / "baseline.json"
    bad.write_text("{}")
    assert scan(capsys, "dir", str(tmp_path), "--baseline", str(bad))[0] == 2
