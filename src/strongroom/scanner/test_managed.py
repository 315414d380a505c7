from collections.abc import Sequence

import pytest

from strongroom.scanner.conftest import Recorder
from strongroom.scanner.errors import ManagedCheckError
from strongroom.scanner.managed import (
    ManagedMatch,
    ServerLookup,
    annotate,
    check_managed,
    connect,
    wire_fingerprint,
)
from strongroom.scanner.scan import Finding

SECRET = "Zq8#rT2vLm9xWk4pQz8vLm2x"


def _finding(secret: str) -> Finding:
    return Finding("generic-password", "d", "a.py", 1, 1, 1, 2, secret, "x", 4.0)


def test_wire_fingerprint_is_stable_and_hides_the_value() -> None:
    fp = wire_fingerprint(SECRET)
    assert fp == wire_fingerprint(f"  {SECRET}\n")
    assert SECRET not in fp and len(fp) == 43
    assert fp != wire_fingerprint(SECRET + "x")
    # The vector of docs/scan-fingerprints.md, which the server's strongroom.crypto.fingerprint meets too.
    assert wire_fingerprint("correct horse battery staple") == "t3wvTorwbvC4bSVbyX8VByyuwx8GYW2d-IgE_eP5enI"


class StaticLookup:
    def __init__(self, known: dict[str, list[tuple[str, str, int]]]) -> None:
        self.known = {wire_fingerprint(v): places for v, places in known.items()}
        self.asked: list[str] = []

    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        self.asked.extend(fingerprints)
        return [ManagedMatch(fp, *place) for fp in fingerprints for place in self.known.get(fp, [])]


def test_annotate_marks_managed_findings() -> None:
    lookup = StaticLookup({SECRET: [("secret/", "apps/db", 3), ("old", "db", 0)]})
    result, leaks = annotate([_finding(SECRET), _finding("Other#Value1234")], lookup)
    assert result[0].managed == "old/db, secret/apps/db (version 3)"  # every place, KV v1 without a version
    assert result[1].managed == ""
    assert [(leak.finding, leak.match.secret, leak.match.version) for leak in leaks] == [
        (result[0], "secret/apps/db", 3), (result[0], "old/db", 0)]
    assert SECRET not in lookup.asked


# The server's own endpoint is tested end to end in tests/scanner/test_managed_server.py; this local HTTP
# server stands in for it to check what the scanner sends and how it takes malformed replies.
def test_lookup_sends_only_fingerprints(http_recorder: Recorder) -> None:
    fp = wire_fingerprint(SECRET)
    http_recorder.reply = {"data": {"matches": [
        {"fingerprint": fp, "mount": "kv", "path": "team/api", "version": 2, "field": "key"}]}}
    with connect(http_recorder.url, "s.token") as client:
        findings, leaks = check_managed([_finding(SECRET)], client)
    assert findings[0].managed == "kv/team/api (version 2)" and leaks[0].match.field == "key"
    [(path, headers, body)] = http_recorder.requests
    assert path == "/v1/sys/scan/fingerprints"
    assert headers["X-Vault-Token"] == "s.token"
    assert body == {"fingerprints": [fp]}
    assert SECRET not in str(body)


def test_lookup_errors(http_recorder: Recorder) -> None:
    http_recorder.status = 403
    with connect(http_recorder.url, "t") as client, pytest.raises(ManagedCheckError):
        ServerLookup(client).lookup(["x"])


@pytest.mark.parametrize("reply", [
    {"data": {"matches": "no"}}, {"data": {"matches": [{"fingerprint": "x"}]}}, {"data": {"matches": [1]}},
    {"data": {"matches": [{"fingerprint": "x", "mount": "m", "path": "p", "version": "latest"}]}},
])
def test_lookup_bad_replies(http_recorder: Recorder, reply: object) -> None:
    http_recorder.reply = reply
    with connect(http_recorder.url, "t") as client, pytest.raises(ManagedCheckError):
        ServerLookup(client).lookup(["x"])


def test_unreachable_server() -> None:
    with connect("http://127.0.0.1:9", "t") as client, pytest.raises(ManagedCheckError):
        ServerLookup(client).lookup(["x"])
