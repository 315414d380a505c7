"""Which commit first introduced a blob, and at which path, from raw tree objects.

A commit walk that parses every new tree costs a Python step per tree entry (about a million on a
20,000-commit repository). Only the trees that lead to a blob with a finding matter, so those are found
first, bottom up, with Hyperscan literal passes over all raw trees at once (the blob ids, then the ids of the
trees that contain them, and so on up to the root trees), which also record the ids each of those trees
lists. The walk then parses only the trees that list something it has not placed yet. When the containing
set grows too large to compile cheaply, the walk parses every tree instead.
"""

from __future__ import annotations

import bisect
import itertools
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import hyperscan

_BLOB_MODES = (b"100644", b"100755")
MAX_FRONTIER = 4000

Located = dict[bytes, tuple[int, bytes, str]]  # blob -> (commit rank, raw commit id, path)


def tree_entries(raw: bytes) -> Iterator[tuple[bytes, str, bytes]]:
    """(mode, name, raw oid) of each entry of a raw tree object."""
    i, end = 0, len(raw)
    while i < end:
        space = raw.index(b" ", i)
        nul = raw.index(b"\x00", space)
        yield raw[i:space], raw[space + 1:nul].decode("utf-8", "replace"), raw[nul + 1:nul + 21]
        i = nul + 21


_MIN_RUN = 8  # bytes of an id searched for as a literal; shorter runs would match too often


def _entries_listing(raw: bytes, wanted: set[bytes]) -> list[tuple[bytes, str, bytes]]:
    """The entries of a raw tree whose ids are in `wanted`, as `tree_entries` gives them (only their names
    are decoded: a tree lists far more than the walk needs)."""
    found = []
    i, end, index = 0, len(raw), raw.index
    while i < end:
        nul = index(b"\x00", i)  # ends the entry's mode and name, neither of which can hold one
        entry = raw[nul + 1:nul + 21]
        if entry in wanted:
            space = index(b" ", i)
            found.append((raw[i:space], raw[space + 1:nul].decode("utf-8", "replace"), entry))
        i = nul + 21
    return found


def _literal_database(ids: list[bytes]) -> tuple[object, list[int]]:
    """A database that reports where each of `ids` (its index) may occur, and for each id how many of its
    bytes follow the reported end. Hyperscan's literal API (a third faster to compile than escaped patterns)
    takes NUL-terminated strings, so an id holding a NUL byte is searched for by its longest run without one,
    and the caller checks the whole id at each match; escaped patterns serve when some id has no run long
    enough to search for."""
    database = hyperscan.Database()
    runs = [max(oid.split(b"\x00"), key=len) for oid in ids]
    if min(map(len, runs), default=_MIN_RUN) < _MIN_RUN:
        database.compile(expressions=[b"".join(b"\\x%02x" % b for b in oid) for oid in ids],
                         ids=list(range(len(ids))), flags=[0] * len(ids))
        return database, [0] * len(ids)
    database.compile(expressions=runs, ids=list(range(len(ids))), flags=[0] * len(ids), literal=True)
    return database, [len(oid) - oid.index(run) - len(run) for oid, run in zip(ids, runs, strict=True)]


@dataclass(frozen=True)
class TreeChunk:
    """Raw trees read by one worker: ids (20 bytes each), cumulative end offsets, concatenated data."""

    ids: bytes
    ends: Sequence[int]
    data: bytes | mmap.mmap

    def tree_at(self, offset: int) -> int:
        return bisect.bisect_right(self.ends, offset)


class TreeStore:
    """Raw trees by id, kept as a few large buffers rather than a hundred thousand small objects.

    The id index is only built for the trees that are looked up (`note`), or in full on first `get` of an
    unnoted tree."""

    def __init__(self) -> None:
        self.chunks: list[TreeChunk] = []
        self._index: dict[bytes, int] = {}
        self._complete = False

    def add(self, chunk: TreeChunk) -> None:
        self.chunks.append(chunk)
        self._complete = False

    def note(self, chunk_number: int, i: int) -> bytes:
        """Index tree `i` of chunk `chunk_number`; returns its id."""
        tree_id = self.chunks[chunk_number].ids[20 * i: 20 * i + 20]
        self._index[tree_id] = (chunk_number << 32) | i
        return tree_id

    def _index_all(self) -> None:
        for number, chunk in enumerate(self.chunks):
            for i in range(len(chunk.ends)):
                self.note(number, i)
        self._complete = True

    def __len__(self) -> int:
        return sum(len(chunk.ends) for chunk in self.chunks)

    def get(self, tree_id: bytes) -> bytes | None:
        slot = self._index.get(tree_id)
        if slot is None and not self._complete:
            self._index_all()
            slot = self._index.get(tree_id)
        if slot is None:
            return None
        chunk, i = self.chunks[slot >> 32], slot & 0xFFFFFFFF
        return chunk.data[chunk.ends[i - 1] if i else 0: chunk.ends[i]]

    @classmethod
    def of(cls, trees: dict[bytes, bytes]) -> TreeStore:
        store = cls()
        ids = list(trees)
        ends = list(itertools.accumulate(len(trees[i]) for i in ids))
        store.add(TreeChunk(b"".join(ids), ends, b"".join(trees[i] for i in ids)))
        return store


def _trees_mentioning(trees: TreeStore, ids: list[bytes], links: dict[bytes, list[bytes]]) -> set[bytes]:
    """Ids of the trees that list one of `ids` (each noted in the store's index, and the ids it lists added to
    its `links`)."""
    database, tails = _literal_database(ids)
    partial = {i for i, oid in enumerate(ids) if b"\x00" in oid}  # searched for by a part: check the rest
    found: set[bytes] = set()
    for number, chunk in enumerate(trees.chunks):

        def on_match(match: int, _start: int, end: int, _flags: int, _ctx: object,
                     number: int = number, chunk: TreeChunk = chunk) -> None:
            if match in partial:
                end += tails[match]
                if chunk.data[end - len(ids[match]): end] != ids[match]:
                    return
            tree = trees.note(number, chunk.tree_at(end - 1))
            found.add(tree)
            links.setdefault(tree, []).append(ids[match])

        database.scan(chunk.data, match_event_handler=on_match)  # type: ignore[attr-defined]
    return found


def listing_trees(trees: TreeStore, targets: set[bytes], roots: set[bytes]) -> dict[bytes, list[bytes]] | None:
    """Every tree that reaches a target, with the ids it lists among the targets and those trees; None if the
    sets grow too large to search for cheaply."""
    links: dict[bytes, list[bytes]] = {}
    frontier = set(targets)
    while frontier:
        if len(frontier) > MAX_FRONTIER:
            return None
        known = set(links)  # trees found at an earlier level were searched for already
        frontier = _trees_mentioning(trees, sorted(frontier), links) - known - roots
    return links


def attribute(commits: list[tuple[bytes, bytes]], trees: TreeStore, targets: set[bytes]) -> Located:
    """First commit (oldest first), its rank and the path at which each target blob appears."""
    located: Located = {}
    if not targets:
        return located
    links = listing_trees(trees, targets, {tree for _commit, tree in commits})
    visited: set[bytes] = set()
    for rank, (commit_id, root) in enumerate(commits):
        if root in visited or (links is not None and root not in links):
            continue
        # Depth first in entry order, as git lists a commit's files: (tree?, id, path) to visit next.
        stack: list[tuple[bool, bytes, str]] = [(True, root, "")]
        while stack:
            is_tree, oid, path = stack.pop()
            if not is_tree:
                located.setdefault(oid, (rank, commit_id, path))
                continue
            if oid in visited:
                continue
            visited.add(oid)
            wanted: set[bytes] | None = None
            if links is not None:  # parse only trees that list something not yet placed
                wanted = {i for i in links[oid] if i not in visited and i not in located}
                if not wanted:
                    continue
            raw = trees.get(oid)
            if raw is None:
                continue
            below = []
            for mode, name, entry in tree_entries(raw) if wanted is None else _entries_listing(raw, wanted):
                if mode == b"40000":
                    if entry not in visited:
                        below.append((True, entry, path + name + "/"))
                elif mode in _BLOB_MODES and entry in targets and entry not in located:
                    below.append((False, entry, path + name))
            stack.extend(reversed(below))
        if len(located) == len(targets):
            break
    return located
