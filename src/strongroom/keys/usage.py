"""How many encryptions each key version has done, so a version is retired before random 96-bit nonces risk a
collision (NIST SP 800-38D: at most 2^32 invocations per key; Vault's keyring rotates at about 0.9 * 2^32).

Counting is in memory; persistence is coarse. Before a process uses encryptions beyond what storage already
records, it reserves a whole block (`block` encryptions) by writing the new high-water mark under
`usage/<name>`. After a restart the count resumes from the stored mark, so at most one unused block per process
is over-counted and nothing is ever under-counted. Several processes sharing storage each claim their next block
at the stored mark (an atomic storage update), so blocks never overlap and the mark covers every encryption.
"""

from __future__ import annotations

import threading

import orjson

from strongroom.sdk.storage import Storage

USAGE_LIMIT = 3_865_470_566
USAGE_BLOCK = 1 << 16
PREFIX = "usage/"


class UsageCounter:
    def __init__(self, storage: Storage, *, limit: int = USAGE_LIMIT, block: int = USAGE_BLOCK) -> None:
        self._storage = storage
        self.limit = limit
        self.block = max(1, min(block, limit))
        self._used: dict[tuple[str, int], int] = {}
        self._reserved: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def _stored(self, name: str) -> dict[str, int]:
        raw = self._storage.get(PREFIX + name)
        return {} if raw is None else {str(k): int(v) for k, v in orjson.loads(raw).items()}

    def would_exceed(self, name: str, version: int, count: int) -> bool:
        slot = (name, version)
        used = self._used.get(slot)
        if used is None:
            used = self._load(name, version)
        return used + count > self.limit

    def _load(self, name: str, version: int) -> int:
        stored = self._stored(name).get(str(version), 0)
        self._used[(name, version)] = stored
        self._reserved[(name, version)] = stored
        return stored

    def consume(self, name: str, version: int, count: int) -> None:
        """Record `count` encryptions (call after `would_exceed` said no)."""
        slot = (name, version)
        with self._lock:
            used = self._used.get(slot)
            if used is None:
                used = self._load(name, version)
            if used + count <= self._reserved.get(slot, 0):
                self._used[slot] = used + count
            else:
                self._reserve(name, version, used, count)

    def _reserve(self, name: str, version: int, used: int, count: int) -> None:
        """Claim the next block of the shared count, in one atomic storage update: every count below the stored
        mark belongs to some process's block, so ours starts at the mark (or goes on from our own block when
        nobody claimed one since), and the mark always covers every encryption done."""
        slot = (name, version)
        reserved = self._reserved.get(slot, 0)
        now_used = used + count

        def step(raw: bytes | None) -> bytes:
            nonlocal now_used
            stored = {} if raw is None else {str(k): int(v) for k, v in orjson.loads(raw).items()}
            mark = stored.get(str(version), 0)
            now_used = (used if mark == reserved else mark) + count
            stored[str(version)] = now_used + self.block
            # Keep only the latest few versions' marks: older versions stop encrypting once rotated away.
            return orjson.dumps(dict(sorted(stored.items(), key=lambda item: int(item[0]))[-4:]))

        self._storage.update(PREFIX + name, step)
        self._used[slot] = now_used
        self._reserved[slot] = now_used + self.block

    def used(self, name: str, version: int) -> int:
        slot = (name, version)
        return self._used[slot] if slot in self._used else self._load(name, version)

    def forget(self, name: str) -> None:
        """Drop a deleted key's counts (in memory and in storage)."""
        with self._lock:
            for slot in [s for s in self._used if s[0] == name]:
                self._used.pop(slot, None)
                self._reserved.pop(slot, None)
            self._storage.delete(PREFIX + name)
