from collections.abc import Sequence

import pytest

from strongroom.scanner.conftest import Recorder
from strongroom.scanner.errors import ManagedCheckError
from strongroom.scanner.managed import (
    ENDPOINT,
    HttpFingerprintLookup,
    ManagedMatch,
    annotate,
    check_managed,
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


class StaticLookup:
    def __init__(self, known: dict[str, tuple[str, str, int]]) -> None:
        self.known = {wire_fingerprint(v): loc for v, loc in known.items()}
        self.asked: list[str] = []

    def lookup(self, fingerprints: Sequence[str]) -> list[ManagedMatch]:
        self.asked.extend(fingerprints)
        return [ManagedMatch(fp, *self.known[fp]) for fp in fingerprints if fp in self.known]


def test_annotate_marks_managed_findings() -> None:
    lookup = StaticLookup({SECRET: ("secret/", "apps/db", 3)})
    result = annotate([_finding(SECRET), _finding("Other#Value1234")], lookup)
    assert result[0].managed == "secret/apps/db (version 3)"
    assert result[1].managed == ""
    assert SECRET not in lookup.asked


def test_http_lookup_against_a_real_server(http_recorder: Recorder) -> None:
    fp = wire_fingerprint(SECRET)
    http_recorder.reply = {"data": {"matches": [{"fingerprint": fp, "mount": "kv", "path": "team/api", "version": 2}]}}
    findings = check_managed([_finding(SECRET)], http_recorder.url, "s.token")
    assert findings[0].managed == "kv/team/api (version 2)"
    [(path, headers, body)] = http_recorder.requests
    assert path == ENDPOINT
    assert headers["X-Vault-Token"] == "s.token"
    assert body == {"fingerprints": [fp]}
    assert SECRET not in str(body)


def test_http_lookup_errors(http_recorder: Recorder) -> None:
    http_recorder.status = 403
    with pytest.raises(ManagedCheckError):
        HttpFingerprintLookup(http_recorder.url, "t").lookup(["x"])


@pytest.mark.parametrize("reply", [[1], {"matches": "no"}, {"matches": [{"fingerprint": "x"}]}])
def test_http_lookup_bad_replies(http_recorder: Recorder, reply: object) -> None:
    http_recorder.reply = reply
    with pytest.raises(ManagedCheckError):
        HttpFingerprintLookup(http_recorder.url, "t").lookup(["x"])


def test_unreachable_server() -> None:
    with pytest.raises(ManagedCheckError):
        HttpFingerprintLookup("http://127.0.0.1:9", "t", timeout=2).lookup(["x"])
