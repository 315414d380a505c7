"""Run a detector over a source: size limits, threads, progress, commit attribution and de-duplication.

In history scans each blob is scanned once; a finding is reported once per (rule, file, secret), with the
earliest commit that introduced it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from strongroom.scanner.scan import Detector, Finding, with_commit
from strongroom.scanner.target import Target


@dataclass
class Stats:
    targets: int = 0
    bytes: int = 0
    skipped: int = 0
    seconds: float = 0.0


_BAR = 30  # characters


@dataclass
class Progress:
    """A one-line progress display on stderr, drawn only when stderr is a terminal: a bar with the share done
    when the number of files to scan is known (`total`, a full-history scan knows its blobs), else a counter."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    enabled: bool = False
    total: int = 0
    _last: float = 0.0

    @classmethod
    def auto(cls, wanted: bool = True) -> Progress:
        return cls(sys.stderr, wanted and sys.stderr.isatty())

    def update(self, stats: Stats, findings: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.2:
            return
        self._last = now
        counts = f"{stats.targets} files, {stats.bytes / 1e6:.1f} MB, {findings} findings"
        if self.total:
            share = min(1.0, (stats.targets + stats.skipped) / self.total)
            filled = round(share * _BAR)
            counts = f"[{'#' * filled}{'.' * (_BAR - filled)}] {share:4.0%} {counts}"
        self.stream.write(f"\r\x1b[Kscanning: {counts}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _scan_one(detector: Detector, target: Target, max_bytes: int) -> tuple[int, list[Finding]]:
    if max_bytes and target.size > max_bytes:
        return -1, []
    data = target.read()
    commit = target.commit.sha if target.commit else ""
    findings = detector.scan(data, target.path, commit)
    if target.lines is not None:
        findings = [f for f in findings if f.start_line in target.lines]
    if target.commit is not None and findings:
        c = target.commit
        findings = with_commit(findings, commit=c.sha, author=c.author, email=c.email, date=c.date,
                               message=c.message)
    return len(data), findings


_WORKER: dict[str, Detector] = {}


def _init_worker(detector: Detector) -> None:
    _WORKER["detector"] = detector


def _scan_files(batch: list[tuple[str, str, int]], max_bytes: int) -> list[tuple[int, list[Finding]]]:
    detector = _WORKER["detector"]
    out = []
    for path, origin, size in batch:
        target = Target(path, Path(origin).read_bytes, size)
        try:
            out.append(_scan_one(detector, target, max_bytes))
        except OSError:
            out.append((-1, []))  # vanished or unreadable since it was listed
    return out


def _batches(targets: Iterable[Target], size: int = 64) -> Iterator[list[tuple[str, str, int]]]:
    batch: list[tuple[str, str, int]] = []
    for target in targets:
        batch.append((target.path, target.origin, target.size))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _file_results(
    detector: Detector, targets: Iterable[Target], workers: int, max_bytes: int
) -> Iterator[tuple[int, list[Finding]]]:
    """Files read and scanned by forked worker processes (the GIL keeps threads from helping)."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(detector,)) as pool:
        for results in pool.map(_scan_files, _batches(targets), itertools.repeat(max_bytes)):
            yield from results


def _results(
    detector: Detector, targets: Iterable[Target], threads: int, max_bytes: int, processes: bool = False
) -> Iterator[tuple[int, list[Finding]]]:
    if processes and threads > 1:
        yield from _file_results(detector, targets, threads, max_bytes)
        return
    if threads <= 1:
        for target in targets:
            yield _scan_one(detector, target, max_bytes)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        # Bounded window of in-flight work keeps memory flat on huge histories while preserving order.
        window: list[object] = []
        iterator = iter(targets)
        for target in iterator:
            window.append(pool.submit(_scan_one, detector, target, max_bytes))
            if len(window) >= threads * 64:
                yield window.pop(0).result()  # type: ignore[attr-defined]
        for future in window:
            yield future.result()  # type: ignore[attr-defined]


def run(
    detector: Detector,
    targets: Iterable[Target],
    *,
    threads: int = 1,
    max_bytes: int = 0,
    progress: Progress | None = None,
    processes: bool = False,
) -> tuple[list[Finding], Stats]:
    """Scan every target; findings de-duplicated by fingerprint, earliest occurrence kept.

    With `processes`, targets must be files on disk (`origin` set): `threads` worker processes read them."""
    stats = Stats()
    started = time.monotonic()
    seen: set[str] = set()
    findings: list[Finding] = []
    progress = progress or Progress()
    for size, found in _results(detector, targets, threads, max_bytes, processes):
        if size < 0:
            stats.skipped += 1
            continue
        stats.targets += 1
        stats.bytes += size
        for finding in found:
            if finding.fingerprint not in seen:
                seen.add(finding.fingerprint)
                findings.append(finding)
        progress.update(stats, len(findings))
    progress.close()
    stats.seconds = time.monotonic() - started
    return findings, stats
