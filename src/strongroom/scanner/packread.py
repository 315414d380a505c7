"""Packfile entries for the whole-history scan: listed from the `.idx`, inflated with zlib, deltas applied by
dulwich, so every object is rebuilt exactly once from its delta base (the way `git index-pack` resolves a pack).

libgit2 rebuilds each object it is asked for from the start of its delta chain, through a small cache of
bases, so reading a whole pack through it costs several times what rebuilding each chain once does (5.9
against about 2 CPU seconds for the 211,000 objects of the `heavy` benchmark repository). Entries this
module cannot rebuild (a base outside the pack, a damaged entry) are left to libgit2 by the caller
(`orphans`, and what `read_slice` returns).

Layout of a version-2 pack (git's `Documentation/gitformat-pack.txt`): after a 12-byte header, entries of a
type-and-size varint, then for an offset delta the distance back to its base, for a reference delta the
base's id, then a zlib stream; a 20-byte checksum ends the pack.
"""

from __future__ import annotations

import itertools
import mmap
import struct
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

COMMIT, TREE, BLOB, TAG, OFS_DELTA, REF_DELTA = 1, 2, 3, 4, 6, 7
_ID = 20
_TRAILER = 20


def read_index(index_path: Path) -> tuple[bytes, list[int]]:
    """The concatenated raw oids and the pack offset of each, from a version-2 pack index."""
    data = index_path.read_bytes()
    if data[:8] != b"\xfftOc\x00\x00\x00\x02":
        raise ValueError(f"unsupported pack index {index_path}")
    count = struct.unpack_from(">I", data, 8 + 255 * 4)[0]
    shas = 8 + 1024
    table = shas + 24 * count  # after the SHA table and the CRC table
    large = table + 4 * count
    offsets = list(struct.unpack_from(f">{count}I", data, table))
    for i, offset in enumerate(offsets):
        if offset & 0x80000000:  # packs over 2 GiB keep 8-byte offsets in a second table
            offsets[i] = struct.unpack_from(">Q", data, large + 8 * (offset & 0x7FFFFFFF))[0]
    return data[shas: shas + _ID * count], offsets


@dataclass
class Pack:
    """The entries of one pack in offset order: each one's type, where its zlib stream starts and ends, and
    the deltas built on it. Flat arrays where they are large, so that forked workers share them."""

    path: Path
    index_ids: bytes  # 20 bytes per object, in the index's (id) order
    slots: array[int]  # entry -> its position in the index
    kinds: bytearray  # the entry type: COMMIT, TREE, BLOB, TAG, OFS_DELTA or REF_DELTA
    offsets: array[int]  # where each entry starts, and the end of the last one
    starts: array[int]  # where each entry's zlib stream starts
    bases: array[int]  # each delta's base entry; -1 for full objects and deltas on a base not in the pack
    deltas: dict[int, list[int]]  # entry -> the entries that are deltas on it
    roots: list[int]  # the entries that are full objects
    unresolved: list[int]  # deltas whose base is not in this pack

    def __len__(self) -> int:
        return len(self.kinds)

    def id_of(self, entry: int) -> bytes:
        slot = self.slots[entry]
        return self.index_ids[_ID * slot: _ID * slot + _ID]

    def chain(self, entry: int) -> Iterator[int]:
        """`entry` and every delta built on it, directly or not."""
        stack = [entry]
        while stack:
            entry = stack.pop()
            yield entry
            stack.extend(self.deltas.get(entry, ()))


def open_pack(index_path: Path, data: bytes | mmap.mmap) -> Pack:
    """Parse every entry header of the pack that `index_path` indexes (its bytes are `data`)."""
    index_ids, index_offsets = read_index(index_path)
    count = len(index_offsets)
    # (offset, index position) pairs packed into single integers sort several times faster than with a key.
    packed = sorted([(offset << 32) | i for i, offset in enumerate(index_offsets)])
    del index_offsets
    offsets = array("q", [key >> 32 for key in packed])
    slots = array("q", [key & 0xFFFFFFFF for key in packed])
    del packed  # tables of Python integers cost 40 bytes an entry: keep the peak down on large packs
    entry_at = dict(zip(offsets, range(count), strict=True))
    kinds = bytearray(count)
    starts = array("q")
    bases = array("q", [-1]) * count
    deltas: dict[int, list[int]] = {}
    unresolved: list[int] = []
    ref_bases: list[tuple[int, bytes]] = []
    for n, offset in enumerate(offsets):
        byte = data[offset]
        kind = (byte >> 4) & 7
        kinds[n] = kind
        at = offset + 1
        while byte & 0x80:  # the rest of the size varint
            byte = data[at]
            at += 1
        if kind == OFS_DELTA:
            byte = data[at]
            back = byte & 0x7F
            while byte & 0x80:  # the distance back, in git's offset encoding
                at += 1
                byte = data[at]
                back = ((back + 1) << 7) | (byte & 0x7F)
            at += 1
            base = entry_at.get(offset - back)
            if base is None:
                unresolved.append(n)
            else:
                bases[n] = base
                deltas.setdefault(base, []).append(n)
        elif kind == REF_DELTA:
            ref_bases.append((n, bytes(data[at: at + _ID])))
            at += _ID
        starts.append(at)
    del entry_at
    if ref_bases:
        by_id = {index_ids[_ID * i: _ID * i + _ID]: entry for entry, i in enumerate(slots)}
        for entry, base_id in ref_bases:
            base = by_id.get(base_id)
            if base is None:
                unresolved.append(entry)
            else:
                bases[entry] = base
                deltas.setdefault(base, []).append(entry)
    roots = [n for n in range(count) if kinds[n] < OFS_DELTA]
    offsets.append(len(data) - _TRAILER)
    return Pack(index_path.with_suffix(".pack"), index_ids, slots, kinds, offsets, starts, bases, deltas, roots,
                unresolved)


def orphans(pack: Pack) -> list[int]:
    """Entries no chain from a full object reaches (a base outside the pack, a cycle of reference deltas),
    to be read otherwise."""
    if not pack.unresolved and REF_DELTA not in pack.kinds:
        return []  # every offset delta's base comes before it, so each chain ends at a full object
    reached = bytearray(len(pack))
    for root in pack.roots:
        for entry in pack.chain(root):
            reached[entry] = 1
    return [n for n in range(len(pack)) if not reached[n]]


def read_order(pack: Pack, skip: Callable[[int], bool] = lambda _root: False) -> array[int]:
    """Every entry reachable from a full object, each chain depth first (a base right before the deltas on
    it), the chains of the roots `skip` accepts left out. Cut anywhere, the parts can be read apart
    (`read_slice`)."""
    order: list[int] = []
    append, get = order.append, pack.deltas.get
    for root in pack.roots:
        if skip(root):
            continue
        stack = [root]
        pop, push = stack.pop, stack.extend
        while stack:
            entry = pop()
            append(entry)
            children = get(entry)
            if children:
                push(children)
    return array("q", order)


_RELEASE_EVERY = 2000  # entries

ApplyDelta = Callable[[bytes, bytes], "bytes | list[bytes]"]


def read_slice(
    pack: Pack, data: bytes | mmap.mmap, entries: array[int], apply_delta: ApplyDelta,
    visit: Callable[[int, int, bytes], None], errors: tuple[type[BaseException], ...] = (),
) -> list[int]:
    """Rebuild the objects `entries` (a slice of `read_order`), each from its base, and `visit(entry, type,
    content)` each. The bases of the first entry are rebuilt first, not visited. An entry that does not
    inflate or whose delta does not apply (`errors`: what `apply_delta` raises for a corrupt delta) is
    returned with the deltas on it, for the caller to read otherwise."""
    broken: tuple[type[BaseException], ...] = (zlib.error, ValueError, IndexError, *errors)
    failed: list[int] = []
    # Pages of a mapped pack stay resident (and count towards this process's memory) once read: hand them
    # back every few thousand entries (each may sit on a page of its own); the page cache keeps them.
    release = isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED")
    view = memoryview(data)
    starts, ends, bases, kinds = pack.starts, pack.offsets, pack.bases, pack.kinds
    decompress = zlib.decompress
    ancestors: list[int] = []  # the first entry's bases, rebuilt first but not visited
    base = bases[entries[0]] if entries else -1
    while base >= 0:
        ancestors.append(base)
        base = bases[base]
    hidden = len(ancestors)
    ancestors.reverse()
    # The entries from a root down to the one being read: (entry, object type, content or None if broken).
    path: list[tuple[int, int, bytes | None]] = []
    for count, entry in enumerate(itertools.chain(ancestors, entries)):
        base = bases[entry]
        while path and path[-1][0] != base:
            path.pop()
        kind, source = (path[-1][1], path[-1][2]) if path else (kinds[entry], None)
        content = None
        if base < 0 or source is not None:  # not built on a broken object
            try:
                content = decompress(view[starts[entry]: ends[entry + 1]])
                if source is not None:
                    rebuilt = apply_delta(source, content)
                    content = rebuilt if isinstance(rebuilt, bytes) else b"".join(rebuilt)
            except broken:
                content = None
        path.append((entry, kind, content))
        if count < hidden:
            continue
        if content is None:
            failed.append(entry)
        else:
            visit(entry, kind, content)
        if release and count % _RELEASE_EVERY == 0:
            data.madvise(mmap.MADV_DONTNEED)  # type: ignore[union-attr]
    view.release()
    return failed
