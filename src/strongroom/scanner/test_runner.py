import io

from strongroom.scanner.runner import Progress, Stats, run
from strongroom.scanner.scan import Detector
from strongroom.scanner.target import Target


def test_progress_draws_only_when_enabled() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True)
    progress.update(Stats(targets=3, bytes=2_000_000), findings=1)
    progress.close()
    assert "scanning: 3 files, 2.0 MB, 1 findings" in stream.getvalue()
    quiet = io.StringIO()
    Progress(quiet, enabled=False).update(Stats(targets=1), findings=0)
    assert quiet.getvalue() == ""


def test_progress_draws_a_bar_when_the_total_is_known() -> None:
    stream = io.StringIO()
    Progress(stream, enabled=True, total=40).update(Stats(targets=9, skipped=1, bytes=3_000_000), findings=2)
    assert "scanning: [########......................]  25% 9 files, 3.0 MB, 2 findings" in stream.getvalue()


def test_auto_progress_is_off_without_a_terminal() -> None:
    assert not Progress.auto().enabled  # pytest captures stderr


def test_run_skips_large_targets_and_limits_lines(detector: Detector) -> None:
    secret = b'password = "Zq8#rT2vLm9xWk4p"\n'
    targets = [
        Target("big.py", lambda: secret * 10, size=10_000),
        Target("a.py", lambda: b"x = 1\n" + secret, size=40, lines=frozenset({1})),
        Target("b.py", lambda: b"x = 1\n" + secret, size=40, lines=frozenset({2})),
    ]
    findings, stats = run(detector, targets, max_bytes=1000)
    assert [f.file for f in findings] == ["b.py"]
    assert stats.skipped == 1 and stats.targets == 2


def test_file_targets_in_worker_processes(detector: Detector, tmp_path: object) -> None:
    from pathlib import Path

    from strongroom.scanner.sources import directory

    root = Path(str(tmp_path))
    for i in range(150):
        (root / f"f{i:03}.py").write_text(f'password = "Zq8#rT2vLm9xWk4p{i}"\n' if i % 10 == 0 else f"x = {i}\n")
    (root / "big.bin").write_bytes(b"x" * 5000)
    serial, _ = run(detector, directory(str(root)), max_bytes=4000)
    parallel, stats = run(detector, directory(str(root)), threads=2, processes=True, max_bytes=4000)
    assert [f.fingerprint for f in parallel] == [f.fingerprint for f in serial]
    assert len(parallel) == 15 and stats.targets == 150 and stats.skipped == 1


def test_vanished_file_is_skipped_by_workers(detector: Detector) -> None:
    gone = Target("gone.py", lambda: b"", size=10, origin="/nonexistent/strongroom/gone.py")
    findings, stats = run(detector, [gone], threads=2, processes=True)
    assert findings == [] and stats.skipped == 1
