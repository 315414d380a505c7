"""Attribution: the first commit and path of each blob, from raw trees, against git's own answers."""

import pygit2
import pytest

from conftest import GitRepo
from strongroom.scanner import attribution
from strongroom.scanner.attribution import TreeStore, attribute
from strongroom.scanner.sources import history_commits


def _trees(repo: GitRepo) -> TreeStore:
    git = pygit2.Repository(str(repo.root))
    ids = repo.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)").splitlines()
    return TreeStore.of({bytes.fromhex(oid): git[oid].read_raw() for oid, kind in map(str.split, ids)
                         if kind == "tree"})


def _blob(repo: GitRepo, rev: str) -> bytes:
    return bytes.fromhex(repo.git("rev-parse", rev))


def _history(repo: GitRepo) -> dict[str, str]:
    """Blobs met in several shapes; returns the commit each name below first appears in."""
    first = {}
    repo.write("a/one.txt", "one\n")
    repo.write("b/same.txt", "same\n")
    repo.write("a/same.txt", "same\n")  # one blob at two paths of one commit
    first["init"] = repo.commit("init")
    (repo.root / "c" / "d").mkdir(parents=True)
    repo.git("mv", "a/one.txt", "c/d/one.txt")  # moved: its first commit stays the same
    repo.commit("move")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("deep/x/y/z/side.txt", "side\n")
    first["side"] = repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("a/main.txt", "main\n")
    first["main"] = repo.commit("main")
    repo.git("merge", "-q", "--no-edit", "side")
    repo.write("late/two.txt", "one\n")  # the content of one.txt again, at a new path
    repo.commit("late")
    return first


@pytest.mark.parametrize("frontier", [attribution.MAX_FRONTIER, 0])  # 0: the walk that parses every tree
def test_first_commit_and_path(repo: GitRepo, monkeypatch: pytest.MonkeyPatch, frontier: int) -> None:
    monkeypatch.setattr(attribution, "MAX_FRONTIER", frontier)
    first = _history(repo)
    commits = history_commits(str(repo.root))
    targets = {_blob(repo, f"HEAD:{path}") for path in ("c/d/one.txt", "a/same.txt", "deep/x/y/z/side.txt",
                                                         "a/main.txt")}
    missing = bytes(20)  # no tree lists it
    located = attribute(commits, _trees(repo), targets | {missing})
    ranks = {commit: rank for rank, (commit, _tree) in enumerate(commits)}
    found = {blob: (commit.hex(), path) for blob, (rank, commit, path) in located.items()
             if ranks[commit] == rank}
    assert found == {
        _blob(repo, "HEAD:c/d/one.txt"): (first["init"], "a/one.txt"),
        _blob(repo, "HEAD:a/same.txt"): (first["init"], "a/same.txt"),  # the first of its paths, as git lists them
        _blob(repo, "HEAD:deep/x/y/z/side.txt"): (first["side"], "deep/x/y/z/side.txt"),
        _blob(repo, "HEAD:a/main.txt"): (first["main"], "a/main.txt"),
    }


def test_only_trees_that_list_something_new_are_parsed(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("keys/secret.txt", "the one\n")
    for n in range(30):  # every commit a new root tree; the secret's trees never change
        repo.write(f"src/file{n}.txt", f"{n}\n")
        repo.commit(f"c{n}")
    trees = _trees(repo)
    parsed: list[bytes] = []
    real_get = trees.get

    def get(tree_id: bytes) -> bytes | None:
        parsed.append(tree_id)
        return real_get(tree_id)

    monkeypatch.setattr(trees, "get", get)
    commits = history_commits(str(repo.root))
    secret = _blob(repo, "HEAD:keys/secret.txt")
    located = attribute(commits, trees, {secret})
    assert located[secret][1:] == (commits[0][0], "keys/secret.txt")
    # The first root and the keys/ tree: the 29 later roots list keys/ again and are not parsed.
    assert parsed == [commits[0][1], _blob(repo, "HEAD:keys")]


def _entry(mode: bytes, name: bytes, oid: bytes) -> bytes:
    return mode + b" " + name + b"\x00" + oid


@pytest.mark.parametrize("ids", [
    # NUL bytes inside, at the start and at the end: searched for by their longest run, checked in full
    [b"A" * 9 + b"\x00" + b"B" * 10, b"\x00" + b"C" * 19, b"D" * 19 + b"\x00", b"E" * 20],
    # an id with no run of 8 bytes without a NUL: every id searched for as an escaped pattern
    [b"F\x00" * 10, b"E" * 20],
], ids=["literal runs", "escaped patterns"])
def test_ids_with_nul_bytes_are_found_exactly(ids: list[bytes]) -> None:
    decoy = b"X" + ids[0][1:]  # the first id's longest run without a NUL, but not the first id
    trees = {
        b"t" * 20: b"".join(_entry(b"100644", b"f%d" % i, oid) for i, oid in enumerate(ids)),
        b"u" * 20: _entry(b"100644", b"decoy", decoy) + _entry(b"40000", b"sub", ids[-1]),
        b"v" * 20: _entry(b"100644", b"other", b"Q" * 20),
    }
    store = TreeStore.of(trees)
    links = attribution.listing_trees(store, set(ids[:-1]), set())
    assert links is not None and set(links) == {b"t" * 20} and sorted(links[b"t" * 20]) == sorted(ids[:-1])
    links = attribution.listing_trees(store, {ids[-1]}, set())
    assert links is not None and set(links) == {b"t" * 20, b"u" * 20}
