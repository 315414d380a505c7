from __future__ import annotations

import orjson

from strongroom.server.listener import malformed_reply, rewrite_list


def test_list_becomes_get_with_a_marker_header() -> None:
    raw = b"LIST /v1/secret/metadata HTTP/1.1\r\nHost: x\r\n\r\n"
    assert rewrite_list(raw) == b"GET /v1/secret/metadata HTTP/1.1\r\nx-strongroom-list: true\r\nHost: x\r\n\r\n"


def test_other_methods_pass_untouched() -> None:
    raw = b"GET /v1/sys/health HTTP/1.1\r\n\r\n"
    assert rewrite_list(raw) is raw
    assert rewrite_list(b"POST /v1/x HTTP/1.1\r\n\r\nLIST ") == b"POST /v1/x HTTP/1.1\r\n\r\nLIST "


def test_an_unparseable_request_gets_the_error_envelope() -> None:
    head, _, body = malformed_reply().partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in head and b"cache-control: no-store" in head
    assert orjson.loads(body) == {"errors": ["malformed HTTP request"]}
    assert b"content-length: %d" % len(body) in head
