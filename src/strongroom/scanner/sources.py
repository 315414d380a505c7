"""Where content comes from: git history (every blob once), a directory, the git index, standard input.

Each source yields `Target`s: a path, a way to read the bytes and, for history, the commit that introduced
the blob. Git objects are read through libgit2 (pygit2), never by parsing `git log -p` output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pygit2
from pygit2.enums import DeltaStatus, DiffOption, FileMode, SortMode

from strongroom.scanner.errors import SourceError
from strongroom.scanner.target import Commit, Target

_BLOB_MODES = (FileMode.BLOB, FileMode.BLOB_EXECUTABLE)
_NEW_CONTENT = (DeltaStatus.ADDED, DeltaStatus.MODIFIED, DeltaStatus.RENAMED, DeltaStatus.COPIED,
                DeltaStatus.TYPECHANGE)




def open_repository(path: str) -> pygit2.Repository:
    discovered = pygit2.discover_repository(path)
    if discovered is None:
        raise SourceError(f"not a git repository: {path}")
    try:
        return pygit2.Repository(discovered)
    except (pygit2.GitError, ValueError) as exc:  # e.g. "unknown object format 'sha256'"
        raise SourceError(f"cannot read the git repository: {exc}") from None


def libgit2_for_one_pass() -> None:
    """Settings for reading each object once: no object cache, no re-hashing of what is read."""
    pygit2.settings.enable_strict_hash_verification(False)
    pygit2.settings.enable_caching(False)


def history_commits(path: str) -> list[tuple[bytes, bytes]]:
    """(raw commit id, raw root tree id) for every commit reachable from a ref, oldest first (topological)."""
    repo = pygit2.Repository(path)
    starts = []
    for name in repo.references:
        try:
            starts.append(repo.references[name].peel(pygit2.Commit).id)
        except (pygit2.InvalidSpecError, ValueError, KeyError, pygit2.GitError):
            continue
    if not starts:
        return []
    walker = repo.walk(starts[0], SortMode.TOPOLOGICAL | SortMode.REVERSE)
    for oid in starts[1:]:
        walker.push(oid)
    return [(commit.id.raw, commit.tree_id.raw) for commit in walker]


def _blob_reader(repo: pygit2.Repository, oid: pygit2.Oid) -> Callable[[], bytes]:
    def read() -> bytes:
        blob = repo[oid]
        assert isinstance(blob, pygit2.Blob)
        return blob.data

    return read


def _walk_tree(repo: pygit2.Repository, tree: pygit2.Tree, prefix: str) -> Iterator[tuple[str, pygit2.Oid]]:
    for entry in tree:
        name = f"{prefix}{entry.name}"
        if entry.filemode == FileMode.TREE:
            sub = repo[entry.id]
            assert isinstance(sub, pygit2.Tree)
            yield from _walk_tree(repo, sub, name + "/")
        elif entry.filemode in _BLOB_MODES:
            yield name, entry.id


def _starting_points(repo: pygit2.Repository, branch: str | None, revisions: str | None) -> tuple[
    list[pygit2.Oid], list[pygit2.Oid]
]:
    """Commits to walk from and commits to hide, from `--branch`, a `A..B` range or all refs."""
    try:
        if revisions:
            if ".." in revisions:
                hide, _, show = revisions.partition("..")
                return [repo.revparse_single(show or "HEAD").peel(pygit2.Commit).id], [
                    repo.revparse_single(hide).peel(pygit2.Commit).id
                ]
            return [repo.revparse_single(revisions).peel(pygit2.Commit).id], []
        if branch:
            return [repo.revparse_single(branch).peel(pygit2.Commit).id], []
    except (KeyError, ValueError, pygit2.GitError) as exc:
        raise SourceError(f"unknown revision: {exc}") from exc
    starts: list[pygit2.Oid] = []
    for name in repo.references:
        try:
            starts.append(repo.references[name].peel(pygit2.Commit).id)
        except (pygit2.InvalidSpecError, ValueError, KeyError, pygit2.GitError):
            continue  # refs to trees or blobs
    return starts, []


def history(
    path: str,
    *,
    branch: str | None = None,
    revisions: str | None = None,
    since: datetime | None = None,
    skip_path: Callable[[str], bool] = lambda _p: False,
) -> Iterator[Target]:
    """Every blob reachable from the chosen commits, once, attributed to the earliest commit that added it.

    Commits are walked oldest first in topological order; each is diffed against its first parent (merge
    results that only repeat a side's content yield blobs already seen, so they cost nothing).
    """
    repo = open_repository(path)
    starts, hidden = _starting_points(repo, branch, revisions)
    if not starts:
        return
    walker = repo.walk(starts[0], SortMode.TOPOLOGICAL | SortMode.REVERSE)
    for oid in starts[1:]:
        walker.push(oid)
    for oid in hidden:
        walker.hide(oid)
    seen: set[pygit2.Oid] = set()
    cutoff = since.timestamp() if since else None
    flags = DiffOption.SKIP_BINARY_CHECK | DiffOption.IGNORE_SUBMODULES
    for commit in walker:
        if cutoff is not None and commit.commit_time < cutoff:
            continue
        info = Commit.of(commit)
        changes: Iterable[tuple[str, pygit2.Oid]]
        if commit.parents:
            diff = commit.parents[0].tree.diff_to_tree(commit.tree, flags=flags)
            changes = (
                (d.new_file.path, d.new_file.id)
                for d in diff.deltas
                if d.status in _NEW_CONTENT and d.new_file.mode in _BLOB_MODES
            )
        else:
            changes = _walk_tree(repo, commit.tree, "")
        for file_path, blob_id in changes:
            if blob_id in seen:
                continue
            seen.add(blob_id)
            if skip_path(file_path):
                continue
            yield Target(file_path, _blob_reader(repo, blob_id), _blob_size(repo, blob_id), info)


def _blob_size(repo: pygit2.Repository, oid: pygit2.Oid) -> int:
    _type, size = repo.odb.read_header(oid)
    return int(size)


def staged(path: str, skip_path: Callable[[str], bool] = lambda _p: False) -> Iterator[Target]:
    """Files in the index that differ from HEAD, limited to their added lines (pre-commit)."""
    repo = open_repository(path)
    diff = repo.diff(str(_head_tree(repo).id), None, cached=True, context_lines=0)
    for patch in diff:
        if patch is None:
            continue
        delta = patch.delta
        if delta.status not in _NEW_CONTENT or delta.new_file.mode not in _BLOB_MODES:
            continue
        if skip_path(delta.new_file.path):
            continue
        added = frozenset(
            line.new_lineno for hunk in patch.hunks for line in hunk.lines if line.origin == "+"
        )
        oid = delta.new_file.id
        yield Target(delta.new_file.path, _blob_reader(repo, oid), _blob_size(repo, oid), None, added)


def _head_tree(repo: pygit2.Repository) -> pygit2.Tree:
    if repo.head_is_unborn:
        empty = repo.TreeBuilder().write()
        tree = repo[empty]
    else:
        tree = repo.head.peel(pygit2.Tree)
    assert isinstance(tree, pygit2.Tree)
    return tree


def directory(root: str, *, gitignore: bool = False, skip_path: Callable[[str], bool] = lambda _p: False) -> Iterator[
    Target
]:
    """Regular files under `root` (not following symlinks); `.git` skipped; `.gitignore` honoured on request."""
    base = Path(root)
    if not base.exists():
        raise SourceError(f"no such path: {root}")
    if base.is_file():
        yield _file_target(base, base.name)
        return
    repo: pygit2.Repository | None = None
    workdir = ""
    if gitignore:
        try:
            repo = open_repository(str(base))
            workdir = str(Path(repo.workdir or base).resolve())
        except SourceError:
            repo = None
    for current, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(files):
            full = Path(current) / name
            rel = full.relative_to(base).as_posix()
            if full.is_symlink() or not full.is_file() or skip_path(rel):
                continue
            if repo is not None and repo.path_is_ignored(os.path.relpath(full.resolve(), workdir)):
                continue
            yield _file_target(full, rel)


def _file_target(path: Path, rel: str) -> Target:
    return Target(rel, path.read_bytes, path.stat().st_size, origin=str(path))


def stdin(name: str = "-") -> Iterator[Target]:
    data = sys.stdin.buffer.read()
    yield Target(name, lambda: data, len(data))
