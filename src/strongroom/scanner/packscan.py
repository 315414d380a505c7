"""Whole-history scan in pack order: every object rebuilt once, blobs scanned in parallel, then attributed.

1. the entry headers of every pack are parsed (`packread`): which entries are full objects and which are
   deltas on which base; meanwhile a process of its own walks the commits (libgit2's topological sort);
2. worker processes take equal slices of each pack's blobs, one delta family after the other, and rebuild
   every one once, base before deltas (as `git index-pack` does; reading object by object through libgit2
   rebuilds chains again and again and costs about three times the CPU), scanning each blob whole where it
   is rebuilt. Loose objects, and pack entries that no chain reaches or that do not inflate, are read through
   libgit2. The trees, queued behind the blobs, are rebuilt the same way and written raw to spool files that
   the main process maps (a clean history cancels those not read yet and keeps none);
3. the main process walks the commits oldest first over the raw trees (each tree visited once) to find the
   first commit and path of every blob that had a finding. Blobs no commit reaches are dropped.

Used for `scan git` without `--since`, `--branch` or a range; `sources.history` handles those.
"""

from __future__ import annotations

import itertools
import mmap
import multiprocessing
import os
import tempfile
import time
from array import array
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeAlias

from strongroom.scanner import packread
from strongroom.scanner.attribution import TreeChunk, TreeStore, attribute
from strongroom.scanner.runner import Progress, Stats
from strongroom.scanner.scan import Detector, Finding
from strongroom.scanner.target import Commit

# pygit2 (a twentieth of a second to import) is imported only where libgit2 is used: in the process that
# walks the commits, and in a worker that reads an object the pack reader cannot.


def git_dir(path: str) -> str:
    """The git directory of the repository at `path`. The usual layouts (a work tree with a `.git` directory,
    a bare repository) of a SHA-1 repository are recognised here; libgit2 discovers the rest, and in the walk
    process opens every repository, so its errors are the ones reported."""
    root = Path(path)
    for candidate, bare in ((root / ".git", False), (root, True)):
        try:
            config = (candidate / "config").read_text(errors="replace").lower()
        except OSError:
            continue
        sha1 = "objectformat" not in config
        if sha1 and (candidate / "objects").is_dir() and (not bare or "bare = true" in config):
            return str(candidate) + os.sep
    from strongroom.scanner.sources import open_repository

    return str(open_repository(path).path)


def _open(path: str) -> None:
    """The walk process's first job: open the repository through libgit2, whose errors are the ones reported.
    libgit2's object cache stays on here: the walk reads each commit twice (to sort, then to list it)."""
    import pygit2

    from strongroom.scanner import sources

    pygit2.settings.enable_strict_hash_verification(False)
    sources.open_repository(path)


def _walk(path: str) -> list[tuple[bytes, bytes]]:
    from strongroom.scanner.sources import history_commits

    return history_commits(path)


def _commit_details(path: str, ids: list[bytes]) -> dict[bytes, Commit]:
    """Author, date and message of the commits `ids` (raw), read by the walk process."""
    import pygit2

    repo = pygit2.Repository(path)
    details: dict[bytes, Commit] = {}
    for raw in ids:
        commit = repo[pygit2.Oid(raw=raw)]
        assert isinstance(commit, pygit2.Commit)
        details[raw] = Commit.of(commit)
    return details


def _object_dirs(objects: Path, depth: int = 0) -> list[Path]:
    """The object directory and, recursively, those listed in `info/alternates` (`git clone --shared`)."""
    dirs = [objects]
    alternates = objects / "info" / "alternates"
    if depth < 5 and alternates.is_file():
        for line in alternates.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                target = Path(line) if Path(line).is_absolute() else (objects / line).resolve()
                dirs.extend(_object_dirs(target, depth + 1))
    return dirs


def _packs_and_loose(path: str) -> tuple[list[packread.Pack], list[bytes]]:
    """Every pack (headers parsed) and the raw ids of the loose objects that no pack holds, of the repository
    whose git directory is `path`."""
    packs: list[packread.Pack] = []
    loose: list[bytes] = []
    for objects in _object_dirs(Path(path) / "objects"):
        for index in sorted((objects / "pack").glob("*.idx")):
            try:
                with open(index.with_suffix(".pack"), "rb") as handle, \
                        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                    packs.append(packread.open_pack(index, data))
            except FileNotFoundError:  # an index left behind by a removed pack: git ignores it too
                continue
        loose.extend(bytes.fromhex(fan.name + entry) for fan in sorted(objects.glob("[0-9a-f][0-9a-f]"))
                     for entry in sorted(os.listdir(fan)) if len(entry) == 38)
    if loose and packs:
        packed = {pack.id_of(n) for pack in packs for n in range(len(pack))}
        loose = [oid for oid in loose if oid not in packed]
    return packs, loose


@dataclass(frozen=True)
class SpooledTrees:
    """Raw trees a worker read, their bytes written to a file of the scan's spool directory: sent through the
    pool's pipe, tens of megabytes stall each worker between jobs while the parent takes them in."""

    path: str
    ids: bytes  # 20 bytes per tree
    ends: array[int]  # where each tree ends in the file

    def load(self) -> TreeChunk:
        """The trees, mapped; the file is removed at once (the map keeps its pages), so a scan killed later
        leaves nothing in a memory-backed spool."""
        with open(self.path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        os.unlink(self.path)
        return TreeChunk(self.ids, self.ends, data)


@dataclass
class SliceResult:
    trees: SpooledTrees | None
    findings: dict[bytes, list[Finding]]
    blobs: int
    bytes: int
    skipped: int


@dataclass
class _Collector:
    """What one job found: raw trees, findings by blob id, counts."""

    detector: Detector
    max_bytes: int
    tree_ids: list[bytes] = field(default_factory=list)  # of the trees in `tree_data`, 20 bytes each
    tree_data: list[bytes] = field(default_factory=list)
    findings: dict[bytes, list[Finding]] = field(default_factory=dict)
    blobs: int = 0
    size: int = 0
    skipped: int = 0

    def tree(self, oid: bytes, data: bytes) -> None:
        self.tree_ids.append(oid)
        self.tree_data.append(data)

    def blob(self, data: bytes) -> list[Finding]:
        """Scan one blob (the caller files its findings under its id, found only when there are some)."""
        if self.max_bytes and len(data) > self.max_bytes:
            self.skipped += 1
            return []
        self.blobs += 1
        self.size += len(data)
        return self.detector.find(data)

    def result(self) -> SliceResult:
        trees = None
        if self.tree_ids:
            spools = _WORKER["spools"]
            assert isinstance(spools, tuple)
            try:
                path = _spool(spools[0], self.tree_data)
            except OSError:  # the memory-backed file system is full: the disk-backed one takes it
                path = _spool(spools[1], self.tree_data)
            ends = array("q", itertools.accumulate(map(len, self.tree_data)))
            trees = SpooledTrees(path, b"".join(self.tree_ids), ends)
        return SliceResult(trees, self.findings, self.blobs, self.size, self.skipped)


def _spool(directory: str, parts: list[bytes]) -> str:
    handle, path = tempfile.mkstemp(dir=directory)
    try:
        with open(handle, "wb") as out:
            out.writelines(parts)
    except OSError:
        os.unlink(path)
        raise
    return path


_SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a directory of our own is made in it
_SHARED_MEMORY_ROOM = 512 << 20  # bytes free below which it is not used (containers often give it 64 MB)


def _spool_parent() -> str | None:
    """Where the trees are spooled: memory-backed /dev/shm when it has room and TMPDIR does not say otherwise
    (they are read back at once, and writing them to a disk-backed file system costs two to five times more
    CPU), else the temporary directory."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        room = os.statvfs(_SHARED_MEMORY)
    except OSError:
        return None
    if room.f_bavail * room.f_frsize < _SHARED_MEMORY_ROOM or not os.access(_SHARED_MEMORY, os.W_OK):
        return None
    return _SHARED_MEMORY


# Set in the parent before the pool forks, so workers inherit them without pickling.
_WORKER: dict[str, object] = {}


def _init_worker(path: str, detector: Detector) -> None:
    _WORKER.update(path=path, detector=detector, repo=None)  # the repository is opened if it is needed


def _scan_chains(job: tuple[int, array[int]], max_bytes: int) -> SliceResult:
    """Rebuild and scan `job[1]`, a slice of pack `job[0]`'s read order."""
    from dulwich.errors import ApplyDeltaError  # imported in the workers, off the main process's path

    try:  # the compiled one, without the 0.1 s import of dulwich.pack
        from dulwich._pack import apply_delta  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - a pure-Python dulwich
        from dulwich.pack import apply_delta

    number, entries = job
    packs, detector = _WORKER["packs"], _WORKER["detector"]
    assert isinstance(packs, list) and isinstance(detector, Detector)
    pack: packread.Pack = packs[number]
    out = _Collector(detector, max_bytes)
    trees = array("q")  # their ids are looked up together at the end
    tree_entry, tree_data, blob, id_of = trees.append, out.tree_data.append, out.blob, pack.id_of
    tree_kind, blob_kind = packread.TREE, packread.BLOB

    def visit(entry: int, kind: int, content: bytes) -> None:
        if kind == tree_kind:
            tree_entry(entry)
            tree_data(content)
        elif kind == blob_kind:
            found = blob(content)
            if found:
                out.findings[id_of(entry)] = found

    with open(pack.path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        failed = packread.read_slice(pack, data, entries, apply_delta, visit, (ApplyDeltaError,))
    if trees:
        out.tree_ids.append(pack.ids_of(trees))  # in `tree_data`'s order: before any tree libgit2 reads
    _read_through_libgit2(out, [pack.id_of(n) for n in failed])
    return out.result()


def _scan_objects(ids: list[bytes], max_bytes: int) -> SliceResult:
    """Loose objects and pack entries no chain reaches, read through libgit2."""
    detector = _WORKER["detector"]
    assert isinstance(detector, Detector)
    out = _Collector(detector, max_bytes)
    _read_through_libgit2(out, ids)
    return out.result()


def _read_through_libgit2(out: _Collector, ids: list[bytes]) -> None:
    if not ids:
        return
    import pygit2
    from pygit2.enums import ObjectType

    from strongroom.scanner.sources import libgit2_for_one_pass

    if _WORKER["repo"] is None:
        libgit2_for_one_pass()
        _WORKER["repo"] = pygit2.Repository(str(_WORKER["path"]))
    repo = _WORKER["repo"]
    assert isinstance(repo, pygit2.Repository)
    for raw in ids:
        try:
            kind, data = repo.odb.read(pygit2.Oid(raw=raw))
        except (KeyError, pygit2.GitError):  # listed but unreadable (corrupt or pruned meanwhile)
            continue
        if kind == ObjectType.TREE:
            out.tree(raw, data)
        elif kind == ObjectType.BLOB:
            found = out.blob(data)
            if found:
                out.findings[raw] = found


Job: TypeAlias = "tuple[str, tuple[int, array[int]] | list[bytes]]"  # what `_run_job` takes


def _share(packs: list[packread.Pack], loose: list[bytes], workers: int) -> int:
    """Objects in a job: several jobs per worker smooth out the load."""
    total = sum(pack.kinds.count(packread.BLOB) + pack.kinds.count(packread.TREE) for pack in packs)
    return max(2000, (total + len(loose)) // (workers * 16) + 1)


def _jobs(orders: list[array[int]], share: int) -> Iterator[Job]:
    """Equal slices of each pack's read order (`orders[n]` for pack n)."""
    for number, entries in enumerate(orders):
        for start in range(0, len(entries), share):
            yield "chains", (number, entries[start: start + share])


def _object_jobs(packs: list[packread.Pack], loose: list[bytes], share: int) -> Iterator[Job]:
    """The objects libgit2 reads: pack entries no chain reaches, loose objects."""
    for pack in packs:
        stray = packread.orphans(pack)
        if stray:
            yield "objects", [pack.id_of(n) for n in stray]
    for start in range(0, len(loose), share):
        yield "objects", loose[start: start + share]


def _run_job(job: Job, max_bytes: int) -> SliceResult:
    kind, work = job
    if kind == "chains":
        assert isinstance(work, tuple)
        return _scan_chains(work, max_bytes)
    assert isinstance(work, list)
    return _scan_objects(work, max_bytes)


def scan_history(
    path: str, detector: Detector, *, workers: int = 0, max_bytes: int = 0, progress: Progress | None = None
) -> tuple[list[Finding], Stats]:
    """Every blob reachable from any ref, scanned once, findings attributed to their first commit."""
    started = time.monotonic()
    path = git_dir(path)
    workers = workers or (os.cpu_count() or 1)
    stats = Stats()
    trees = TreeStore()
    blob_findings: dict[bytes, list[Finding]] = {}
    progress = progress or Progress()
    context = multiprocessing.get_context("fork")
    # The commit walk (libgit2's topological sort) runs in a process of its own while this one parses the
    # pack headers, so that neither waits for the other nor takes a core from the workers later.
    with tempfile.TemporaryDirectory(prefix="strongroom-scan-", dir=_spool_parent()) as spool, \
            tempfile.TemporaryDirectory(prefix="strongroom-scan-") as overflow, \
            ProcessPoolExecutor(1, mp_context=context) as walker, ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(path, detector)
    ) as pool:
        opened, walked = walker.submit(_open, path), walker.submit(_walk, path)
        try:
            packs, loose = _packs_and_loose(path)
        finally:
            opened.result()  # a repository libgit2 cannot open fails here, before any object is read
        share = _share(packs, loose, workers)
        progress.total = sum(pack.kinds.count(packread.BLOB) for pack in packs) + len(loose)
        # Commits and tags are not read: nothing to scan there. Blobs first, trees queued behind them: they
        # are only needed to say where findings were introduced, but keep both workers busy to the end of
        # the blob pass (a clean history cancels them unread).
        blob_jobs = itertools.chain(_jobs([packread.read_order(pack, packread.BLOB) for pack in packs], share),
                                    _object_jobs(packs, loose, share))
        _WORKER.update(packs=packs, spools=(spool, overflow))  # before the pool forks its workers, at the first job
        blob_parts = [pool.submit(_run_job, job, max_bytes) for job in blob_jobs]
        tree_orders = [packread.read_order(pack, packread.TREE) for pack in packs]  # while the workers read
        tree_parts = [pool.submit(_run_job, job, max_bytes) for job in _jobs(tree_orders, share)]
        del packs, tree_orders, _WORKER["packs"], _WORKER["spools"]  # the workers have theirs
        commits = walked.result()
        for future in blob_parts:
            part = future.result()
            blob_findings.update(part.findings)
            stats.targets += part.blobs
            stats.bytes += part.bytes
            stats.skipped += part.skipped
            if part.trees:  # objects read through libgit2 may be trees
                trees.add(part.trees.load())
            progress.update(stats, sum(map(len, blob_findings.values())))
        if blob_findings:
            for future in tree_parts:
                spooled = future.result().trees
                if spooled:
                    trees.add(spooled.load())
        # The workers' memory is handed back before attribution, the scan's peak (nothing to place: what
        # was not read yet is not read).
        pool.shutdown(cancel_futures=True)
        located = attribute(commits, trees, set(blob_findings))
        del trees
        introduced = {commit for _rank, commit, _path in located.values()}
        details = walker.submit(_commit_details, path, sorted(introduced)).result() if introduced else {}
    findings = _assemble(detector, blob_findings, located, details)
    progress.close()
    stats.seconds = time.monotonic() - started
    return findings, stats


def _assemble(
    detector: Detector, blob_findings: dict[bytes, list[Finding]], located: dict[bytes, tuple[int, bytes, str]],
    commits: dict[bytes, Commit],
) -> list[Finding]:
    placed = []
    for blob, found in blob_findings.items():
        if blob not in located:
            continue  # unreachable from every ref
        rank, commit_id, file_path = located[blob]
        info = commits[commit_id]
        for f in found:
            placed.append((rank, replace(
                f, file=file_path, commit=info.sha, author=info.author, email=info.email, date=info.date,
                message=info.message)))
    placed.sort(key=lambda item: (item[0], item[1].file, item[1].start_line))
    seen: set[str] = set()
    result = []
    for _rank, finding in placed:
        if finding.fingerprint in seen or detector.allowed(finding) or detector.skip_path(finding.file):
            continue
        seen.add(finding.fingerprint)
        result.append(finding)
    return result
