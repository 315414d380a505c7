"""The pack-order full-history scan must agree with the commit walk, packed or loose; the pack reader must
rebuild every object exactly as git stores it."""

import collections
import itertools
import tempfile
import zlib
from pathlib import Path

import pygit2
import pytest
from dulwich.errors import ApplyDeltaError
from dulwich.pack import apply_delta

from conftest import GitRepo
from strongroom.scanner import packread, packscan
from strongroom.scanner.checksums import github_token, strongroom_token
from strongroom.scanner.config import Allowlist, Config
from strongroom.scanner.errors import SourceError
from strongroom.scanner.packscan import scan_history
from strongroom.scanner.runner import run
from strongroom.scanner.scan import Detector
from strongroom.scanner.sources import history, open_repository

TOKEN = strongroom_token("s", "Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k")
GH = github_token("ghp_", "Rt7yUi9oPa3sDf6gHj1kQz8vLm2xWk")
PASSWORD = "Zq8#rT2vLm9xWk4p"


def _history(repo: GitRepo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("init")
    repo.write("app/config.py", f'TOKEN = "{TOKEN}"\n')
    repo.commit("add", author="Ann <ann@example.net>")
    repo.write("app/config.py", f'TOKEN = "{TOKEN}"\nDEBUG = True\n')
    repo.commit("edit")
    repo.git("mv", "app/config.py", "app/settings.py")
    repo.commit("rename")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("deep/a/b/c/creds.env", f"GITHUB_TOKEN={GH}\n")
    repo.commit("side work")
    repo.git("checkout", "-q", "main")
    repo.write("win.txt", f"x\r\npassword = \"{PASSWORD}\"\r\n".encode("utf-16"))
    repo.write("bin.dat", b"\x00\x01" + TOKEN.encode())
    repo.commit("files")
    repo.git("merge", "-q", "--no-edit", "side")
    repo.write("app/settings.py", "TOKEN = os.environ['TOKEN']\n")
    repo.commit("remove")


def _key(findings: list) -> list[tuple[str, str, str, int]]:  # type: ignore[type-arg]
    return sorted((f.rule_id, f.file, f.commit, f.start_line) for f in findings)


@pytest.mark.parametrize("packed", [False, True])
def test_agrees_with_the_commit_walk(detector: Detector, repo: GitRepo, packed: bool) -> None:
    _history(repo)
    if packed:
        repo.git("gc", "-q")
        repo.write("late.txt", f"{TOKEN} again\n")  # a loose blob next to the pack
        repo.commit("late")
    walked, _ = run(detector, history(str(repo.root)))
    fast, stats = scan_history(str(repo.root), detector, workers=2)
    assert _key(fast) == _key(walked)
    assert {f.rule_id for f in fast} == {"strongroom-token", "github-pat", "generic-password"}
    assert stats.targets >= 6


def test_unreachable_blobs_are_not_reported(detector: Detector, repo: GitRepo) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("a")
    (repo.root / "dangling.txt").write_text(f"{TOKEN}\n")
    repo.git("hash-object", "-w", "dangling.txt")
    findings, _ = scan_history(str(repo.root), detector, workers=1)
    assert findings == []


def test_path_and_commit_allowlists_apply(repo: GitRepo) -> None:
    _history(repo)
    side = repo.git("rev-parse", "side")
    config = Config(allowlists=(Allowlist(paths=("^app/",)), Allowlist(commits=(side,))))
    findings, _ = scan_history(str(repo.root), Detector(config), workers=1)
    assert [f.file for f in findings] == ["win.txt"]


def _pack_files(repo: GitRepo) -> tuple[Path, bytes]:
    [index] = list((repo.root / ".git" / "objects" / "pack").glob("*.idx"))
    return index, index.with_suffix(".pack").read_bytes()


KINDS = {packread.COMMIT: "commit", packread.TREE: "tree", packread.BLOB: "blob", packread.TAG: "tag"}


def _rebuild_all(pack: packread.Pack, data: bytes, share: int = 0) -> tuple[dict[bytes, tuple[int, bytes]], list[int]]:
    """Every object of the pack, each type in read order, read in slices of `share` entries (all at once if
    0)."""
    rebuilt: dict[bytes, tuple[int, bytes]] = {}

    def visit(entry: int, kind: int, content: bytes) -> None:
        assert pack.id_of(entry) not in rebuilt  # each object once
        rebuilt[pack.id_of(entry)] = (kind, content)

    failed = []
    for kind in KINDS:
        order = packread.read_order(pack, kind)
        step = share or len(order) or 1
        for start in range(0, len(order), step):
            failed += packread.read_slice(pack, data, order[start: start + step], apply_delta, visit,
                                          (ApplyDeltaError,))
    return rebuilt, failed


def _chain_start(pack: packread.Pack, entry: int) -> int:
    """The last entry of `entry`'s delta chain that this pack holds."""
    while pack.bases[entry] >= 0:
        entry = pack.bases[entry]
    return entry


@pytest.mark.parametrize("offset_deltas", [True, False])
def test_every_object_is_rebuilt_as_git_stores_it(repo: GitRepo, offset_deltas: bool) -> None:
    _many_versions(repo)
    _history(repo)
    repo.git("-c", f"repack.useDeltaBaseOffset={str(offset_deltas).lower()}", "repack", "-q", "-a", "-d", "-f",
             "--depth=50", "--window=50")
    offsets, base_of = _verify_pack(repo)
    index, data = _pack_files(repo)
    pack = packread.open_pack(index, data)
    assert len(pack) == len(offsets) and list(pack.offsets[:-1]) == offsets
    assert len(base_of) > 100  # each delta's base as git sees it, whether given by offset or by id
    assert {pack.offsets[n]: pack.offsets[pack.bases[n]] for n in range(len(pack)) if pack.bases[n] >= 0} == base_of
    assert all(pack.families[n] == _chain_start(pack, n) for n in range(len(pack)))
    assert packread.orphans(pack) == []
    git = pygit2.Repository(str(repo.root))
    for share in (0, 7, 100):  # in slices cut anywhere in a chain, each one rebuilt from its bases on
        rebuilt, failed = _rebuild_all(pack, data, share)
        assert failed == [] and len(rebuilt) == len(offsets)
        for raw, (kind, content) in rebuilt.items():
            obj = git[pygit2.Oid(raw=raw)]
            assert (KINDS[kind], content) == (obj.type_str, obj.read_raw())
    # The scan reads blobs, then trees (commits and tags hold nothing to scan), each family together with
    # every base before the deltas on it, and its work shares cover each part once.
    orders = {kind: packread.read_order(pack, kind) for kind in (packread.BLOB, packread.TREE)}
    for kind, order in orders.items():
        assert {pack.kinds[n] for n in order} == {kind}
        place = {n: i for i, n in enumerate(order)}
        assert all(place[pack.bases[n]] < i for i, n in enumerate(order) if pack.bases[n] >= 0)
        families = [pack.families[n] for n in order]
        assert len({f for f, _ in itertools.groupby(families)}) == len(list(itertools.groupby(families)))
        shares = [work for _kind, work in packscan._jobs([order], 7)]
        assert len(shares) > 1 and [n for _, entries in shares for n in entries] == list(order)
    blob_ids = {raw for raw, (kind, _) in rebuilt.items() if kind == packread.BLOB}
    assert {pack.id_of(n) for n in orders[packread.BLOB]} == blob_ids


def test_bases_dropped_to_stay_within_budget_are_rebuilt(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    _many_versions(repo)
    repo.git("repack", "-q", "-a", "-d", "-f", "--depth=50", "--window=50")
    index, data = _pack_files(repo)
    pack = packread.open_pack(index, data)
    monkeypatch.setattr(packread, "_KEEP_BYTES", 0)  # no base kept: each delta rebuilt from its family's root
    rebuilt, failed = _rebuild_all(pack, data)
    git = pygit2.Repository(str(repo.root))
    assert failed == [] and len(rebuilt) == len(pack)
    assert all((KINDS[kind], content) == (git[pygit2.Oid(raw=raw)].type_str, git[pygit2.Oid(raw=raw)].read_raw())
               for raw, (kind, content) in rebuilt.items())


def test_corrupt_entries_are_left_to_the_caller(repo: GitRepo) -> None:
    _many_versions(repo)
    repo.git("repack", "-q", "-a", "-d", "-f", "--depth=50", "--window=50")
    index, data = _pack_files(repo)
    pack = packread.open_pack(index, data)
    sizes = collections.Counter(pack.families)
    victim = next(root for root, size in sizes.items() if size > 5)
    chain = {n for n in range(len(pack)) if pack.families[n] == victim}
    start = pack.starts[victim]
    broken = data[:start] + b"\xff\xff" + data[start + 2:]  # not a zlib stream any more
    with pytest.raises(zlib.error):
        zlib.decompress(broken[start: pack.offsets[victim + 1]])
    for share in (0, 3):  # the chain cut into several slices too
        rebuilt, failed = _rebuild_all(pack, broken, share)
        assert set(failed) == chain
        assert len(rebuilt) == len(pack) - len(chain)


def test_deltas_on_a_base_outside_the_pack_are_orphans(repo: GitRepo) -> None:
    _many_versions(repo)
    repo.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-q", "-a", "-d", "-f", "--depth=50")
    index, data = _pack_files(repo)
    pack = packread.open_pack(index, data)
    delta = next(n for n in range(len(pack)) if (data[pack.offsets[n]] >> 4) & 7 == packread.REF_DELTA
                 and pack.shared[n])  # a reference delta that other deltas are built on
    at = pack.starts[delta] - 20  # the base's id, right before the zlib stream
    foreign = data[:at] + b"\x00" * 20 + data[at + 20:]
    pack = packread.open_pack(index, foreign)
    assert (pack.bases[delta], pack.kinds[delta]) == (-1, 0)
    lost = packread.orphans(pack)  # the delta and every delta built on it, directly or not
    assert len(lost) > 1 and set(lost) == {n for n in range(len(pack)) if _chain_start(pack, n) == delta}
    rebuilt, failed = _rebuild_all(pack, foreign)
    assert failed == [] and len(rebuilt) == len(pack) - len(lost)
    # The scan hands orphans to libgit2, which reads them as objects.
    jobs = list(packscan._object_jobs([pack], [], 2000))
    assert jobs == [("objects", [pack.id_of(n) for n in lost])]


def test_an_index_without_its_pack_is_ignored(detector: Detector, repo: GitRepo) -> None:
    _history(repo)
    repo.git("gc", "-q")
    walked, _ = run(detector, history(str(repo.root)))
    index, _data = _pack_files(repo)
    (index.parent / "pack-0000000000000000000000000000000000000000.idx").write_bytes(index.read_bytes())
    fast, _ = scan_history(str(repo.root), detector, workers=1)
    assert _key(fast) == _key(walked) and fast


def test_a_clean_history_keeps_no_trees(detector: Detector, repo: GitRepo, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    seen: list[int] = []

    def attribute(commits: object, trees: packscan.TreeStore, targets: set[bytes]) -> dict[bytes, object]:
        seen.append(len(trees))
        return real(commits, trees, targets)  # type: ignore[arg-type]

    real = packscan.attribute
    monkeypatch.setattr(packscan, "attribute", attribute)
    spools, shared = tmp_path / "tmp", tmp_path / "shm"
    spools.mkdir()
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spools))
    monkeypatch.setattr(packscan, "_SHARED_MEMORY", str(shared))
    monkeypatch.setattr(packscan, "_SHARED_MEMORY_ROOM", 0)
    monkeypatch.delenv("TMPDIR", raising=False)
    _many_versions(repo)
    repo.git("gc", "-q")
    findings, _ = scan_history(str(repo.root), detector, workers=2)
    assert len(findings) == 1 and seen[-1] > 60  # a finding: the trees are read to place it
    assert list(spools.iterdir()) == list(shared.iterdir()) == []  # and their spool files removed
    repo.git("checkout", "-q", "--orphan", "clean")
    repo.git("rm", "-q", "-r", "--cached", ".")
    repo.git("branch", "-D", "main")
    repo.write("README.md", "nothing to see\n")
    repo.commit("clean")
    repo.git("gc", "-q", "--prune=now")
    findings, stats = scan_history(str(repo.root), detector, workers=2)
    assert findings == [] and stats.targets == 1 and seen[-1] == 0
    assert list(spools.iterdir()) == list(shared.iterdir()) == []


def test_trees_spool_to_shared_memory_with_room(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(packscan, "_SHARED_MEMORY", str(tmp_path))
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setattr(packscan, "_SHARED_MEMORY_ROOM", 0)
    assert packscan._spool_parent() == str(tmp_path)
    monkeypatch.setattr(packscan, "_SHARED_MEMORY_ROOM", 1 << 62)  # less room than that: the temp dir
    assert packscan._spool_parent() is None
    monkeypatch.setattr(packscan, "_SHARED_MEMORY_ROOM", 0)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the user's choice of temporary directory wins
    assert packscan._spool_parent() is None
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(packscan, "_SHARED_MEMORY", str(tmp_path / "missing"))
    assert packscan._spool_parent() is None


def test_bad_pack_index_is_rejected(tmp_path: object, repo: GitRepo) -> None:
    bad = repo.root / "bad.idx"
    bad.write_bytes(b"not an index")
    with pytest.raises(ValueError):
        packread.read_index(bad)


def test_empty_repository(detector: Detector, repo: GitRepo) -> None:
    findings, stats = scan_history(str(repo.root), detector, workers=1)
    assert findings == [] and stats.targets == 0


def test_worker_jobs_in_process(detector: Detector, repo: GitRepo, tmp_path: Path) -> None:
    _history(repo)
    repo.git("gc", "-q")
    git_repo = open_repository(str(repo.root))
    packs, loose = packscan._packs_and_loose(git_repo.path)
    assert len(packs) == 1 and loose == []
    full_disk = tmp_path / "full"  # a file where the memory-backed spool should be: every write there fails
    full_disk.write_bytes(b"")
    packscan._WORKER.update(packs=packs, spools=(str(full_disk), str(tmp_path)))
    packscan._init_worker(git_repo.path, detector)
    share = packscan._share(packs, loose, 1)
    jobs = [job for kind in (packread.BLOB, packread.TREE)
            for job in packscan._jobs([packread.read_order(pack, kind) for pack in packs], share)]
    full = [packscan._run_job(job, 0) for job in jobs]
    limited = [packscan._run_job(job, 20) for job in jobs]
    assert any(part.findings for part in full)
    blob_jobs = [part for (_kind, (number, entries)), part in zip(jobs, full, strict=True)
                 if packs[number].kinds[entries[0]] == packread.BLOB]
    assert blob_jobs and not any(part.trees for part in blob_jobs)
    # The trees come back spooled to files of the spool directory (the second one when the first cannot take
    # them), one for each job, each tree as git has it.
    spooled = [part.trees for part in full if part.trees]
    assert spooled and {Path(trees.path).parent for trees in spooled} == {tmp_path}
    assert len({trees.path for trees in spooled}) == len(spooled)
    store = packscan.TreeStore()
    for trees in spooled:
        store.add(trees.load())
    assert not any(Path(trees.path).exists() for trees in spooled)  # each spool file removed once mapped
    listed = repo.git("cat-file", "--batch-all-objects", "--batch-check").splitlines()
    tree_ids = [bytes.fromhex(oid) for oid, kind, _size in map(str.split, listed) if kind == "tree"]
    assert len(store) == len(tree_ids)
    assert all(store.get(oid) == git_repo[pygit2.Oid(raw=oid)].read_raw() for oid in tree_ids)
    assert sum(p.blobs for p in full) > sum(p.blobs for p in limited) and sum(p.skipped for p in limited) > 0
    # The objects libgit2 reads give the same results as the chains.
    ids = [packs[0].id_of(n) for n in range(len(packs[0]))]
    through_libgit2 = packscan._run_job(("objects", ids), 0)
    assert through_libgit2.findings == {k: v for part in full for k, v in part.findings.items()}


def test_shared_clone_reads_alternates(detector: Detector, repo: GitRepo, tmp_path: object) -> None:
    import subprocess
    from pathlib import Path

    _history(repo)
    repo.git("gc", "-q")
    clone = Path(str(tmp_path)) / "shared"
    subprocess.run(["git", "clone", "-q", "--shared", str(repo.root), str(clone)], check=True)
    assert (clone / ".git" / "objects" / "info" / "alternates").is_file()
    walked, _ = run(detector, history(str(clone)))
    fast, _ = scan_history(str(clone), detector, workers=1)
    assert _key(fast) == _key(walked) and fast


def _many_versions(repo: GitRepo) -> None:
    """Files with long delta chains: 60 versions each, a secret appearing in the middle of one history."""
    lines = [f"value_{i} = compute({i}, retries={i % 7})" for i in range(200)]
    for n in range(60):
        lines[(n * 37) % 200] = f"value_{n} = compute({n}, retries={n + 100})"
        repo.write("svc/app.py", "\n".join(lines) + "\n")
        repo.write("svc/other.py", "\n".join(reversed(lines)) + f"\n# {n}\n")
        if n == 30:
            repo.write("svc/app.py", "\n".join(lines) + f'\nTOKEN = "{TOKEN}"\n')
        repo.commit(f"v{n}")


def _verify_pack(repo: GitRepo) -> tuple[list[int], dict[int, int]]:
    """Offsets of the pack's entries and, for each delta, its base's offset, as `git verify-pack` sees them."""
    [index] = list((repo.root / ".git" / "objects" / "pack").glob("*.idx"))
    by_sha: dict[str, int] = {}
    bases: dict[int, str] = {}
    for line in repo.git("verify-pack", "-v", str(index)).splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[1] in ("commit", "tree", "blob", "tag"):
            by_sha[parts[0]] = int(parts[4])
            if len(parts) == 7:
                bases[int(parts[4])] = parts[6]
    return sorted(by_sha.values()), {offset: by_sha[sha] for offset, sha in bases.items()}


@pytest.mark.parametrize("offset_deltas", [True, False])
def test_delta_chains_agree_with_the_commit_walk(detector: Detector, repo: GitRepo, offset_deltas: bool) -> None:
    _many_versions(repo)
    repo.git("-c", f"repack.useDeltaBaseOffset={str(offset_deltas).lower()}", "repack", "-q", "-a", "-d", "-f",
             "--depth=50", "--window=50")
    offsets, _ = _verify_pack(repo)
    [pack] = list((repo.root / ".git" / "objects" / "pack").glob("*.pack"))
    data = pack.read_bytes()
    kinds = {(data[offset] >> 4) & 7 for offset in offsets}
    assert (6 in kinds, 7 in kinds) == (offset_deltas, not offset_deltas)  # OFS_DELTA / REF_DELTA entries
    walked, _ = run(detector, history(str(repo.root)))
    fast, stats = scan_history(str(repo.root), detector, workers=2)
    assert _key(fast) == _key(walked) and [f.commit for f in fast] == [repo.git("rev-parse", "HEAD~29")]
    blobs = repo.git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype)").split().count("blob")
    assert stats.targets == blobs  # every blob read once


def test_git_dir_agrees_with_libgit2_discovery(detector: Detector, repo: GitRepo, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from strongroom.scanner import sources

    _history(repo)
    bare, worktree = tmp_path / "bare.git", tmp_path / "worktree"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.root), str(bare)], check=True)
    repo.git("worktree", "add", "-q", str(worktree))
    (repo.root / "sub").mkdir()
    # A work tree and a bare repository are recognised without libgit2; a subdirectory and a linked work tree
    # (whose `.git` is a file) are left to it. Each answer is the one libgit2 gives.
    for path in (repo.root, bare, repo.root / "sub", worktree):
        assert Path(packscan.git_dir(str(path))) == Path(pygit2.discover_repository(str(path)))
    with monkeypatch.context() as patched:
        patched.setattr(sources, "open_repository", None)  # libgit2 not asked
        assert [packscan.git_dir(str(path)) for path in (repo.root, bare)] == [f"{repo.root}/.git/", f"{bare}/"]
    fast, _ = scan_history(str(bare), detector, workers=1)
    walked, _ = run(detector, history(str(repo.root)))
    assert _key(fast) == _key(walked) and fast
    with pytest.raises(SourceError, match="not a git repository"):
        packscan.git_dir(str(tmp_path / "nothing"))


def test_a_repository_libgit2_cannot_open_fails_before_any_object_is_read(
        detector: Detector, repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    _history(repo)
    repo.git("gc", "-q")
    (repo.root / ".git" / "HEAD").unlink()  # the layout looks right to `git_dir`, libgit2 refuses it
    assert packscan.git_dir(str(repo.root)) == f"{repo.root}/.git/"

    def no_jobs(*_args: object) -> int:
        raise AssertionError("objects were read")

    monkeypatch.setattr(packscan, "_share", no_jobs)
    with pytest.raises(SourceError, match="not a git repository"):
        scan_history(str(repo.root), detector, workers=2)


def test_families_follow_chains_to_their_full_object() -> None:
    import numpy as np

    blob, tree, ofs, ref = packread.BLOB, packread.TREE, packread.OFS_DELTA, packread.REF_DELTA
    # 0 blob <- 1 <- 2 <- 3 (a chain of deltas); 4 tree <- 5; 6 a delta on a base outside the pack <- 7;
    # 8 -> 9 -> 10 -> 8 reference deltas in a loop, and 11 built on it.
    kinds = np.array([blob, ofs, ofs, ref, tree, ofs, ofs, ref, ref, ref, ref, ofs])
    bases = np.array([-1, 0, 1, 2, -1, 4, -1, 6, 9, 10, 8, 9])
    families, types = packread._families(bases, kinds)
    assert families.tolist() == [0, 0, 0, 0, 4, 4, 6, 7, 8, 9, 10, 11]  # type 0: each its own
    assert types.tolist() == [blob, blob, blob, blob, tree, tree, 0, 0, 0, 0, 0, 0]
