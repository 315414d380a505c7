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

import mmap
import struct
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable
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
    """The entries of one pack in offset order: each one's object type, where its zlib stream starts and
    ends, and the delta base it is built on. Flat arrays, so that forked workers share them."""

    path: Path
    index_ids: bytes  # 20 bytes per object, in the index's (id) order
    slots: array[int]  # entry -> its position in the index
    kinds: bytearray  # the object type (COMMIT, TREE, BLOB or TAG; a delta has its base's), 0 if unknown
    offsets: array[int]  # where each entry starts, and the end of the last one
    starts: array[int]  # where each entry's zlib stream starts
    bases: array[int]  # each delta's base entry; -1 for full objects (and deltas on a base not in the pack)
    families: array[int]  # the full object each entry's delta chain starts from (itself if it is one)
    shared: bytearray  # 1 for the entries that some delta is built on

    def __len__(self) -> int:
        return len(self.kinds)

    def id_of(self, entry: int) -> bytes:
        slot = self.slots[entry]
        return self.index_ids[_ID * slot: _ID * slot + _ID]


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
    families = array("q", range(count))
    shared = bytearray(count)
    ref_bases: list[tuple[int, bytes]] = []
    for n, offset in enumerate(offsets):
        byte = data[offset]
        kind = (byte >> 4) & 7
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
                kind = 0
            else:  # the base comes first, so its type and family are known (unless it is a reference delta)
                bases[n] = base
                shared[base] = 1
                kind = kinds[base]
                families[n] = families[base]
        elif kind == REF_DELTA:
            ref_bases.append((n, bytes(data[at: at + _ID])))
            at += _ID
            kind = 0
        kinds[n] = kind
        starts.append(at)
    del entry_at
    if ref_bases:
        _resolve_references(index_ids, slots, kinds, bases, families, shared, ref_bases)
    offsets.append(len(data) - _TRAILER)
    return Pack(index_path.with_suffix(".pack"), index_ids, slots, kinds, offsets, starts, bases, families, shared)


def _resolve_references(index_ids: bytes, slots: array[int], kinds: bytearray, bases: array[int],
                        families: array[int], shared: bytearray, ref_bases: list[tuple[int, bytes]]) -> None:
    """Link each reference delta to its base (anywhere in the pack), then give every delta whose chain runs
    through one its type and family. Chains that end outside the pack, or loop, keep type 0."""
    by_id = {index_ids[_ID * i: _ID * i + _ID]: entry for entry, i in enumerate(slots)}
    for entry, base_id in ref_bases:
        base = by_id.get(base_id)
        if base is not None:
            bases[entry] = base
            shared[base] = 1
    pending = [n for n in range(len(kinds)) if not kinds[n] and bases[n] >= 0]
    while pending:  # each round settles at least the next link of every chain, or nothing is left to settle
        waiting = []
        for n in pending:
            base = bases[n]
            if kinds[base]:
                kinds[n], families[n] = kinds[base], families[base]
            else:
                waiting.append(n)
        if len(waiting) == len(pending):
            break
        pending = waiting


def orphans(pack: Pack) -> list[int]:
    """Entries whose chain does not start from a full object of this pack (a base outside it, a cycle of
    reference deltas), to be read otherwise."""
    kinds = pack.kinds
    if kinds.find(0) < 0:
        return []
    return [n for n in range(len(kinds)) if not kinds[n]]


def read_order(pack: Pack, kind: int) -> array[int]:
    """The entries holding objects of type `kind`, each delta family together (a base before the deltas on
    it, as in the pack), so that `read_slice` keeps few bases at a time. Cut anywhere, the parts can be read
    apart."""
    kinds, families = pack.kinds, pack.families
    keys = sorted([(families[n] << 32) | n for n in range(len(kinds)) if kinds[n] == kind])
    return array("q", [key & 0xFFFFFFFF for key in keys])


_RELEASE_EVERY = 2000  # entries
_KEEP_BYTES = 32 << 20  # bases kept at a time: a family seldom needs more than the chain being read

ApplyDelta = Callable[[bytes, bytes], list[bytes]]


def read_slice(
    pack: Pack, data: bytes | mmap.mmap, entries: array[int], apply_delta: ApplyDelta,
    visit: Callable[[int, int, bytes], None], errors: tuple[type[BaseException], ...] = (),
) -> list[int]:
    """Rebuild the objects `entries` (a slice of `read_order`), each from its base, and `visit(entry, type,
    content)` each. The bases of the family being read are kept (within a memory budget); one not at hand
    (the start of a slice, a base dropped to stay within budget) is rebuilt from the nearest one that is, or
    from the family's full object. An entry that does not inflate or whose delta does not apply (`errors`:
    what `apply_delta` raises for a corrupt delta) is returned, with the deltas on it, for the caller to
    read otherwise."""
    broken: tuple[type[BaseException], ...] = (zlib.error, ValueError, IndexError, *errors)
    failed: list[int] = []
    # Pages of a mapped pack stay resident (and count towards this process's memory) once read: hand them
    # back every few thousand entries (each may sit on a page of its own); the page cache keeps them.
    release = isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED")
    view = memoryview(data)
    starts, ends, bases, kinds, families, shared = \
        pack.starts, pack.offsets, pack.bases, pack.kinds, pack.families, pack.shared
    decompress, join = zlib.decompress, b"".join
    kept: OrderedDict[int, bytes | None] = OrderedDict()  # rebuilt bases, least recently used first; None: broken
    held = 0

    def rebuild(entry: int, source: bytes | None) -> bytes | None:
        """`entry`'s content from its base's (`source`; None for a full object), or None if broken."""
        nonlocal held
        content = None
        if source is not None or bases[entry] < 0:  # not built on a broken object
            try:
                content = decompress(view[starts[entry]: ends[entry + 1]])
                if source is not None:
                    content = join(apply_delta(source, content))
            except broken:
                content = None
        if shared[entry]:
            kept[entry] = content
            if content:
                held += len(content)
                while held > _KEEP_BYTES and kept:
                    held -= len(kept.popitem(last=False)[1] or b"")
        return content

    def base_of(entry: int) -> bytes | None:
        """The content `entry` is built on, rebuilding what is not kept down to the family's full object."""
        chain = []
        base = bases[entry]
        while base >= 0 and base not in kept:
            chain.append(base)
            base = bases[base]
        source = None
        if base >= 0:
            kept.move_to_end(base)
            source = kept[base]
        for link in reversed(chain):
            source = rebuild(link, source)
        return source

    family = -1
    for count, entry in enumerate(entries):
        if families[entry] != family:  # no later entry is built on the bases of the previous family
            family = families[entry]
            kept.clear()
            held = 0
        base = bases[entry]
        if base < 0:
            content = rebuild(entry, None)
        elif base in kept:  # the usual case: the base was read just before
            kept.move_to_end(base)
            content = rebuild(entry, kept[base])
        else:
            content = rebuild(entry, base_of(entry))
        if content is None:
            failed.append(entry)
        else:
            visit(entry, kinds[entry], content)
        if release and count % _RELEASE_EVERY == 0:
            data.madvise(mmap.MADV_DONTNEED)  # type: ignore[union-attr]
    view.release()
    return failed
