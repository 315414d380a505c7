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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy is imported where it is used: `scan` without history needs none of it
    import numpy as np
    from numpy.typing import NDArray

COMMIT, TREE, BLOB, TAG, OFS_DELTA, REF_DELTA = 1, 2, 3, 4, 6, 7
_ID = 20
_TRAILER = 20


def read_index(index_path: Path) -> tuple[bytes, NDArray[np.int64]]:
    """The concatenated raw oids and the pack offset of each, from a version-2 pack index."""
    import numpy as np

    data = index_path.read_bytes()
    if data[:8] != b"\xfftOc\x00\x00\x00\x02" or len(data) < 8 + 1024:
        raise ValueError(f"unsupported pack index {index_path}")
    count = struct.unpack_from(">I", data, 8 + 255 * 4)[0]
    shas = 8 + 1024
    table = shas + 24 * count  # after the SHA table and the CRC table
    if len(data) < table + 4 * count:
        raise ValueError(f"truncated pack index {index_path}")
    offsets = np.frombuffer(data, ">u4", count, table).astype(np.int64)
    large = offsets >= 0x80000000  # packs over 2 GiB keep 8-byte offsets in a second table
    if large.any():
        wide = np.frombuffer(data, ">u8", offset=table + 4 * count, count=(len(data) - table - 4 * count) // 8)
        offsets[large] = wide[offsets[large] & 0x7FFFFFFF].astype(np.int64)
    return data[shas: shas + _ID * count], offsets


@dataclass
class Pack:
    """The entries of one pack in offset order: each one's object type, where its zlib stream starts and
    ends, and the delta base it is built on. Flat arrays, so that forked workers share them, and indexed one
    entry at a time in Python faster than NumPy's."""

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

    def ids_of(self, entries: array[int]) -> bytes:
        """The ids of `entries`, concatenated."""
        import numpy as np

        slots = np.frombuffer(self.slots, dtype=np.int64)[np.frombuffer(entries, dtype=np.int64)]
        return np.frombuffer(self.index_ids, dtype=np.dtype((np.void, _ID)))[slots].tobytes()


def _varint_ends(raw: NDArray[np.uint8], at: NDArray[np.int64]) -> NDArray[np.int64]:
    """Where the little-endian base-128 numbers starting at `at` end (each byte with its top bit set says
    another follows)."""
    import numpy as np

    at = at.copy()
    more = np.ones(len(at), dtype=bool)
    while more.any():
        byte = raw[at[more]]
        at[more] += 1
        more[more] = byte >= 0x80
    return at


def _offset_distances(raw: NDArray[np.uint8], at: NDArray[np.int64]) -> tuple[NDArray[np.int64],
                                                                              NDArray[np.int64]]:
    """The distances back to their bases of offset deltas whose encoded distance starts at `at`, in git's
    offset encoding (each byte after the first adds one before shifting), and where each encoding ends."""
    import numpy as np

    byte = raw[at].astype(np.int64)
    back = byte & 0x7F
    more = byte >= 0x80
    at = at + 1
    while more.any():
        byte = raw[at[more]].astype(np.int64)
        back[more] = ((back[more] + 1) << 7) | (byte & 0x7F)
        at[more] += 1
        more[more] = byte >= 0x80
    return back, at


def open_pack(index_path: Path, data: bytes | mmap.mmap) -> Pack:
    """Parse every entry header of the pack that `index_path` indexes (its bytes are `data`). The work is
    done on whole columns with NumPy: a Python step per entry cost a fifth of a second for 160,000 entries."""
    import numpy as np

    index_ids, index_offsets = read_index(index_path)
    count = len(index_offsets)
    slots = np.argsort(index_offsets)  # offsets are unique
    offsets = index_offsets[slots]
    raw = np.frombuffer(data, dtype=np.uint8)
    try:
        if count and (offsets[0] < 12 or offsets[-1] >= len(raw) - _TRAILER):
            raise ValueError(f"pack index {index_path} points outside its pack")
        first = raw[offsets]
        kinds = ((first >> 4) & 7).astype(np.int64)
        # The header: a type-and-size varint, then an offset delta's distance back or a reference delta's id.
        starts = offsets + 1
        long = first >= 0x80
        starts[long] = _varint_ends(raw, starts[long])
        bases = np.full(count, -1, dtype=np.int64)
        by_offset = kinds == OFS_DELTA
        if by_offset.any():
            at = starts[by_offset]
            distances, starts[by_offset] = _offset_distances(raw, at)
            targets = offsets[by_offset] - distances
            found = np.minimum(np.searchsorted(offsets, targets), max(count - 1, 0))
            bases[np.flatnonzero(by_offset)] = np.where(offsets[found] == targets, found, -1)
        by_reference = np.flatnonzero(kinds == REF_DELTA)
        if len(by_reference):
            bases[by_reference] = _reference_bases(index_ids, slots, [
                bytes(data[at: at + _ID]) for at in starts[by_reference].tolist()])
            starts[by_reference] += _ID
    finally:
        del raw  # `data` may be a map its caller closes: no view of it may outlive this call
    families, kinds = _families(bases, kinds)
    shared = np.zeros(count, dtype=np.uint8)
    shared[bases[bases >= 0]] = 1
    ends = np.append(offsets, len(data) - _TRAILER)
    return Pack(index_path.with_suffix(".pack"), index_ids, _column(slots), bytearray(kinds.astype(np.uint8)),
                _column(ends), _column(starts), _column(bases), _column(families), bytearray(shared))


def _column(values: NDArray[np.int64]) -> array[int]:
    import numpy as np

    column = array("q")
    column.frombytes(values.astype(np.int64).tobytes())
    return column


def _reference_bases(index_ids: bytes, slots: NDArray[np.int64], base_ids: list[bytes]) -> list[int]:
    """The entry each reference delta's base id names, -1 for a base outside the pack."""
    by_id = {index_ids[_ID * slot: _ID * slot + _ID]: entry for entry, slot in enumerate(slots.tolist())}
    return [by_id.get(base_id, -1) for base_id in base_ids]


def _families(bases: NDArray[np.int64], kinds: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The full object each entry's chain starts from, and each entry's object type (its family's), by
    pointer jumping: every round doubles how far each entry has looked down its chain. A chain that ends on
    a delta whose base is not in the pack, or that loops, has type 0 (its entries are read otherwise)."""
    import numpy as np

    count = len(bases)
    own = np.arange(count, dtype=np.int64)
    delta = (kinds == OFS_DELTA) | (kinds == REF_DELTA)
    root_kinds = np.where(delta, 0, kinds)
    families = np.where(bases >= 0, bases, own)
    for _ in range(64):  # a chain ends within 2**64 links, or loops (and then never ends on a full object)
        further = families[families]
        if np.array_equal(further, families):
            break
        families = further
    kinds = root_kinds[families]
    families = np.where(kinds == 0, own, families)
    return families, kinds


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
    import numpy as np

    entries = np.flatnonzero(np.frombuffer(pack.kinds, dtype=np.uint8) == kind)
    families = np.frombuffer(pack.families, dtype=np.int64)[entries]
    return _column(entries[np.argsort(families, kind="stable")])  # stable: offset order within a family


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
