"""Two worker processes share one storage, each with its own core: mount changes made in both at once must all
survive (Terraform enables, tunes and disables mounts ten requests at a time), and one path is taken once."""

from __future__ import annotations

from strongroom.auth import CATALOG as AUTH
from strongroom.conftest import run_at_once
from strongroom.core.config import CoreConfig
from strongroom.core.core import Core
from strongroom.engines import CATALOG as ENGINES
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.errors import InvalidRequest
from strongroom.storage.memory import InMemoryBackend


def _core(physical: InMemoryBackend) -> Core:
    return Core(physical, ENGINES, AUTH, clock=FrozenClock(), config=CoreConfig(dev_mode=True))


def _workers(count: int) -> tuple[InMemoryBackend, bytes, list[Core]]:
    physical = InMemoryBackend()
    cores = [_core(physical) for _ in range(count)]
    keys, _ = cores[0].initialize(1, 1)
    for core in cores:
        core.submit_unseal_key(keys[0])
    return physical, keys[0], cores


def _stored_paths(physical: InMemoryBackend, key: bytes) -> list[str]:
    """The mount table as stored, read by a newly unsealed core (no cache of its own yet)."""
    reader = _core(physical)
    reader.submit_unseal_key(key)
    return [e.path for e in reader.mounts.entries("secret")]


def test_mounts_enabled_in_two_workers_at_once_are_all_kept(racy_threads: None) -> None:
    physical, key, (a, b) = _workers(2)
    run_at_once(lambda: [a.mounts.mount("secret", f"a{n}", "kv") for n in range(15)],
         lambda: [b.mounts.mount("secret", f"b{n}", "kv") for n in range(15)])
    paths = set(_stored_paths(physical, key))
    assert {f"a{n}/" for n in range(15)} | {f"b{n}/" for n in range(15)} <= paths


def test_one_path_enabled_in_two_workers_at_once_is_taken_once(racy_threads: None) -> None:
    physical, key, (a, b) = _workers(2)
    outcomes: list[str] = []

    def enable(core: Core) -> None:
        for n in range(15):
            try:
                core.mounts.mount("secret", f"same{n}", "kv")
                outcomes.append("ok")
            except InvalidRequest:
                outcomes.append("refused")

    run_at_once(lambda: enable(a), lambda: enable(b))
    entries = _stored_paths(physical, key)
    assert all(entries.count(f"same{n}/") == 1 for n in range(15))
    assert outcomes.count("ok") == 15 and outcomes.count("refused") == 15


def test_tunes_of_one_mount_in_two_workers_at_once_keep_both_fields(racy_threads: None) -> None:
    physical, key, (a,) = _workers(1)
    a.mounts.mount("secret", "shared", "kv")
    b = _core(physical)  # unsealed after the mount exists (in-memory storage does not tell a core of changes)
    b.submit_unseal_key(key)
    run_at_once(lambda: [a.mounts.tune("secret", "shared", {"description": f"d{n}"}) for n in range(1, 16)],
         lambda: [b.mounts.tune("secret", "shared", {"max_lease_ttl": n}) for n in range(1, 16)])
    reader = _core(physical)
    reader.submit_unseal_key(key)
    entry = reader.mounts.find("secret", "shared")
    assert entry is not None and entry.description == "d15" and entry.config.max_lease_ttl == 15
