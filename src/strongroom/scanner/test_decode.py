import base64
import binascii
import random
import urllib.parse

from strongroom.scanner.checksums import strongroom_token
from strongroom.scanner.decode import MAX_CANDIDATES, encoded_runs, kubernetes_secret_values
from strongroom.scanner.scan import Detector

TOKEN = strongroom_token("s", "Qz8vLm2xWk4pRt7yUi9oPa3sDf6gHj1k")


def test_base64_hex_and_percent_are_decoded(detector: Detector) -> None:
    text = f"token={TOKEN}"
    b64 = base64.b64encode(text.encode()).decode()
    hexed = binascii.hexlify(text.encode()).decode()
    pct = urllib.parse.quote(f"token={TOKEN}", safe="")
    data = f"a: {b64}\nb: {hexed}\nc: ?q={pct.replace('.', '%2E')}\n".encode()
    found = detector.scan(data, "x.yaml")
    assert [(f.rule_id, f.start_line, f.encoding) for f in found] == [
        ("strongroom-token", 1, "base64"), ("strongroom-token", 2, "hex"), ("strongroom-token", 3, "percent"),
    ]
    assert all(f.secret == TOKEN for f in found)


def test_nested_encoding_within_depth(detector: Detector) -> None:
    twice = base64.b64encode(base64.b64encode(f"token={TOKEN}".encode())).decode()
    found = detector.scan(f"blob = {twice}\n".encode(), "x")
    assert [(f.rule_id, f.encoding) for f in found] == [("strongroom-token", "base64+base64")]


def test_depth_is_bounded() -> None:
    shallow = Detector(decode_depth=1)
    twice = base64.b64encode(base64.b64encode(f"token={TOKEN}".encode())).decode()
    assert shallow.scan(f"blob = {twice}\n".encode(), "x") == []


def test_binary_decodings_are_skipped() -> None:
    data = b"img: " + base64.b64encode(random.Random(1).randbytes(3000)) + b"\n"
    assert list(encoded_runs(data)) == []


def test_candidate_budget() -> None:
    run = base64.b64encode(b"plain readable text here").decode()
    data = " ".join([run] * (MAX_CANDIDATES + 50)).encode()
    assert len(list(encoded_runs(data))) == MAX_CANDIDATES


def test_kubernetes_secret_values() -> None:
    manifest = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n"
        f"  password: {base64.b64encode(b'Zq8#rT2vLm9xWk4p').decode()}\n"
        "stringData:\n  note: hello\n---\nkind: ConfigMap\ndata:\n  x: eQ==\n"
    ).encode()
    values = {k: v for k, v, _s, _e in kubernetes_secret_values(manifest)}
    assert values == {"password": b"Zq8#rT2vLm9xWk4p", "note": b"hello"}


def test_kubernetes_secret_findings(detector: Detector) -> None:
    manifest = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n"
        f"  db-pass: {base64.b64encode(b'Zq8#rT2vLm9xWk4p').decode()}\n"
        f"  api: {base64.b64encode(TOKEN.encode()).decode()}\n"
        f"  user: {base64.b64encode(b'admin').decode()}\n"
    ).encode()
    found = detector.scan(manifest, "k8s/secret.yaml")
    assert sorted((f.rule_id, f.secret, f.start_line) for f in found) == [
        ("kubernetes-secret", "Zq8#rT2vLm9xWk4p", 7),
        ("strongroom-token", TOKEN, 8),
    ]


def test_invalid_yaml_is_ignored() -> None:
    assert list(kubernetes_secret_values(b"kind: Secret\n  - : : {{ bad")) == []


def test_percent_escapes_alone_open_decoding(detector: Detector) -> None:
    # No run of 20 base64 letters here: only the percent escapes tell the engine there is something to decode.
    query = urllib.parse.quote("password=Zq8#rT2vLm9xWk4p user=bob", safe="")
    data = f"see https://example.net/login?next={query} for the form\n".encode()
    found = detector.scan(data, "notes.md")
    assert [(f.secret, f.encoding) for f in found] == [("Zq8#rT2vLm9xWk4p", "percent")]
