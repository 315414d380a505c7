"""Core.runs_inline: which requests the HTTP layer may serve on its event loop instead of a thread."""

from __future__ import annotations

from corefixture import CoreFixture
from strongroom.sdk.request import Operation, Request


def _inline(cf: CoreFixture, operation: Operation, path: str) -> bool:
    return cf.core.runs_inline(Request(operation, path, {}, client_token=cf.root))


def test_reads_and_seldom_writing_paths_run_inline(cf: CoreFixture) -> None:
    cf.write("sys/mounts/transit", type="transit")
    cf.write("sys/mounts/kv", type="kv", options={"version": "2"})
    assert _inline(cf, Operation.READ, "kv/data/a")
    assert _inline(cf, Operation.LIST, "kv/metadata/")
    assert _inline(cf, Operation.UPDATE, "transit/encrypt/k")
    assert _inline(cf, Operation.UPDATE, "transit/decrypt/k")
    assert _inline(cf, Operation.UPDATE, "auth/token/lookup-self")
    assert not _inline(cf, Operation.UPDATE, "kv/data/a")
    assert not _inline(cf, Operation.DELETE, "kv/data/a")
    assert not _inline(cf, Operation.UPDATE, "transit/keys/k")
    assert not _inline(cf, Operation.UPDATE, "auth/token/create")


def test_unknown_paths_are_refused_inline(cf: CoreFixture) -> None:
    assert _inline(cf, Operation.UPDATE, "nowhere/at/all")
    cf.write("sys/mounts/transit", type="transit")
    assert _inline(cf, Operation.UPDATE, "transit/no-such-path")
