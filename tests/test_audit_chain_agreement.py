"""The server's audit chain and the CLI's verifier (`strongroom audit verify`, which may not import the core)
are two implementations of one format: they must agree on every log the broker writes and every tampering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from strongroom.client.audit_verify import verify_file as cli_verify
from strongroom.core.audit import AuditBroker
from strongroom.core.audit import verify_file as core_verify
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.storage import InMemoryStorage


def _write_log(path: Path, entries: int = 6) -> list[bytes]:
    broker = AuditBroker(InMemoryStorage(), FrozenClock())
    broker.enable("file", "file", {"file_path": str(path)})
    for n in range(entries):
        broker.log_request({"type": "request", "auth": {}, "request": {"id": str(n), "path": f"secret/{n}"}})
    return path.read_bytes().splitlines(keepends=True)


def _edit(lines: list[bytes]) -> list[bytes]:
    return [*lines[:2], lines[2].replace(b"secret/", b"public/"), *lines[3:]]


TAMPERINGS: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "intact": lambda lines: lines,
    "edited": _edit,
    "deleted": lambda lines: lines[:2] + lines[3:],
    "reordered": lambda lines: [lines[0], lines[2], lines[1], *lines[3:]],
    "truncated": lambda lines: [*lines[:-1], lines[-1][:20]],
    "duplicated": lambda lines: [*lines[:3], lines[2], *lines[3:]],
    "head cut off": lambda lines: lines[2:],
    "first line cut off": lambda lines: lines[1:],
}


@pytest.mark.parametrize("kind", TAMPERINGS)
def test_both_verifiers_agree(tmp_path: Path, kind: str) -> None:
    log = tmp_path / "audit.log"
    lines = _write_log(log)
    log.write_bytes(b"".join(TAMPERINGS[kind](lines)))
    server, cli = core_verify(log), cli_verify(log)
    assert server.ok is cli.ok is (kind == "intact")
    assert server.first_bad_line == cli.first_bad_line
    assert server.last_hash == cli.last_hash  # both name the tail to anchor (empty when broken)
