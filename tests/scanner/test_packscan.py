"""The pack-order full-history scan must agree with the commit walk, packed or loose."""

import pytest

from conftest import GitRepo
from strongroom.scanner.checksums import github_token, strongroom_token
from strongroom.scanner.config import Allowlist, Config
from strongroom.scanner.packscan import _pack_offsets, objects_in_pack_order, scan_history
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


def test_pack_order_lists_every_object_once(repo: GitRepo) -> None:
    _history(repo)
    repo.git("gc", "-q")
    git_repo = open_repository(str(repo.root))
    blob = objects_in_pack_order(git_repo)
    ordered = [blob[i: i + 20] for i in range(0, len(blob), 20)]
    assert len(ordered) == len(set(ordered)) == int(repo.git("count-objects", "-v").split("in-pack: ")[1].split()[0])
    [index] = list((repo.root / ".git" / "objects" / "pack").glob("*.idx"))
    offsets = [o for o, _ in _pack_offsets(index)]
    assert len(offsets) == len(ordered) and min(offsets) == 12  # right after the pack header


def test_bad_pack_index_is_rejected(tmp_path: object, repo: GitRepo) -> None:
    bad = repo.root / "bad.idx"
    bad.write_bytes(b"not an index")
    with pytest.raises(ValueError):
        _pack_offsets(bad)


def test_empty_repository(detector: Detector, repo: GitRepo) -> None:
    findings, stats = scan_history(str(repo.root), detector, workers=1)
    assert findings == [] and stats.targets == 0


def test_worker_slice_in_process(detector: Detector, repo: GitRepo) -> None:
    from strongroom.scanner import packscan

    _history(repo)
    repo.git("gc", "-q")
    git_repo = open_repository(str(repo.root))
    packscan._init_worker(git_repo.path, detector)
    packscan._WORKER["oids"] = objects_in_pack_order(git_repo)
    count = len(packscan._WORKER["oids"]) // 20  # type: ignore[arg-type]
    full = packscan._scan_slice((0, count), 0)
    limited = packscan._scan_slice((0, count), 20)
    assert full.findings and full.trees.ends and full.blobs > limited.blobs and limited.skipped > 0


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


def test_delta_families_are_read_deepest_first(repo: GitRepo) -> None:
    from strongroom.scanner.packscan import delta_family_order

    _many_versions(repo)
    repo.git("repack", "-q", "-a", "-d", "-f", "--depth=50", "--window=50")
    offsets, base_of = _verify_pack(repo)
    assert len(base_of) > 100  # the history really is stored as delta chains
    [pack] = list((repo.root / ".git" / "objects" / "pack").glob("*.pack"))
    data = pack.read_bytes()
    order = delta_family_order(data, offsets)
    assert sorted(order) == list(range(len(offsets)))
    position = {offsets[i]: rank for rank, i in enumerate(order)}
    assert all(position[delta] < position[base] for delta, base in base_of.items())
    # Half of the entries only (a worker's slice): still a permutation, still deltas before their bases.
    half = offsets[len(offsets) // 2:]
    order = delta_family_order(data, half)
    assert sorted(order) == list(range(len(half)))
    position = {half[i]: rank for rank, i in enumerate(order)}
    assert all(position[d] < position[b] for d, b in base_of.items() if d in position and b in position)


def test_unparsable_pack_data_keeps_offset_order() -> None:
    from strongroom.scanner.packscan import delta_family_order

    assert delta_family_order(b"PACK\x00\x00\x00\x02" + b"\xe0", [8, 20, 30]) == [0, 1, 2]  # truncated headers
    assert delta_family_order(b"", []) == []


@pytest.mark.parametrize("offset_deltas", [True, False])
def test_delta_chains_agree_with_the_commit_walk(detector: Detector, repo: GitRepo, offset_deltas: bool) -> None:
    # Reference deltas (`repack.useDeltaBaseOffset=false`) are not reordered; libgit2 still reads them.
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
