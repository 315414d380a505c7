"""The scanner's public surface for the CLI and other callers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from strongroom.scanner import packscan
from strongroom.scanner.baseline import load_baseline, write_baseline
from strongroom.scanner.config import Config, load_config, merge
from strongroom.scanner.errors import ScanError, SourceError
from strongroom.scanner.report import FORMATS, render
from strongroom.scanner.rotate import Action
from strongroom.scanner.runner import Progress, Stats, run
from strongroom.scanner.scan import Detector, Finding
from strongroom.scanner.target import Target

CONFIG_NAMES = (".strongroom-scan.toml", ".gitleaks.toml")

__all__ = [
    "FORMATS", "Action", "Config", "Detector", "Finding", "Progress", "ScanError", "Stats", "check_managed",
    "find_config", "load_baseline", "render", "run", "scan_git_history", "send_webhook", "targets", "write_baseline",
]


def send_webhook(url: str, findings: list[Finding], *, source: str, actions: Sequence[Action] = ()) -> None:
    from strongroom.scanner.alerts import send_webhook as send  # httpx only when alerts are wanted

    send(url, findings, source=source, actions=actions)


def check_managed(findings: list[Finding], address: str, token: str, *, rotate: bool = False) -> tuple[
    list[Finding], list[Action]
]:
    """Findings marked with where Strongroom keeps their values and, with `rotate`, what was done about them
    (docs/scan-fingerprints.md)."""
    from strongroom.scanner import managed
    from strongroom.scanner.rotate import rotate as act

    with managed.connect(address, token) as client:
        findings, leaks = managed.check_managed(findings, client)
        return findings, act(leaks, findings, client) if rotate else []


def find_config(root: str, explicit: Path | None, search: bool = True) -> Config:
    """The explicit config, or the first of CONFIG_NAMES found at `root` (a directory or repository)."""
    if explicit is not None:
        return load_config(explicit)
    if not search:
        return Config()
    base = Path(root)
    if base.is_file():
        base = base.parent
    found = [load_config(base / name) for name in CONFIG_NAMES if (base / name).is_file()]
    return merge(*found) if found else Config()


def scan_git_history(
    root: str, detector: Detector, *, threads: int, max_bytes: int, progress: Progress
) -> tuple[list[Finding], Stats]:
    """Full-history scan in pack order (see packscan); falls back to the commit walk for odd repositories."""
    try:
        return packscan.scan_history(root, detector, workers=threads, max_bytes=max_bytes, progress=progress)
    except ValueError:  # a pack index format we do not read
        from strongroom.scanner import sources

        return run(detector, sources.history(root, skip_path=detector.skip_path), threads=threads or 1,
                   max_bytes=max_bytes, progress=progress)


def targets(source: str, root: str, detector: Detector, **options: Any) -> Iterator[Target]:
    from strongroom.scanner import sources  # pygit2: a whole-history scan does without it

    if source == "git":
        return sources.history(root, skip_path=detector.skip_path, **options)
    if source == "dir":
        return sources.directory(root, skip_path=detector.skip_path, **options)
    if source == "staged":
        return sources.staged(root, skip_path=detector.skip_path)
    if source == "stdin":
        return sources.stdin(options.get("label", "stdin"))
    raise SourceError(f"unknown source {source}")
