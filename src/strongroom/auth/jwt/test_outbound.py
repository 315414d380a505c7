from __future__ import annotations

import pytest

from strongroom.auth.jwt.outbound import FetchPolicy, Outbound, OutboundError

from .conftest import LOOPBACK_HTTP, LocalServer, Route


@pytest.mark.parametrize("url", [
    "http://example.com/jwks", "ftp://example.com/x", "file:///etc/passwd", "https://user:pw@example.com/",
    "https:///nohost", "gopher://127.0.0.1/",
])
def test_only_plain_https_urls(url: str) -> None:
    with pytest.raises(OutboundError):
        Outbound().check_url(url)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/x", "https://127.8.9.10/x", "https://[::1]/x", "https://localhost/x",
    "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/x", "https://0.0.0.0/x", "https://224.0.0.1/x",
])
def test_loopback_link_local_and_odd_addresses_are_refused(url: str) -> None:
    with pytest.raises(OutboundError):
        Outbound().check_url(url)


def test_loopback_needs_the_policy_and_plain_http_only_to_loopback() -> None:
    Outbound(FetchPolicy(allow_loopback=True)).check_url("https://127.0.0.1:8443/x")
    with pytest.raises(OutboundError, match="https"):
        Outbound(FetchPolicy(allow_loopback=True)).check_url("http://127.0.0.1:8443/x")
    Outbound(LOOPBACK_HTTP).check_url("http://127.0.0.1:8443/x")
    with pytest.raises(OutboundError, match="https"):
        Outbound(LOOPBACK_HTTP).check_url("http://10.0.0.1/x")
    with pytest.raises(OutboundError, match="may not call"):
        Outbound(LOOPBACK_HTTP).check_url("https://169.254.169.254/x")


def test_private_ranges_stay_reachable() -> None:
    Outbound().check_url("https://10.1.2.3/realms/x")
    Outbound().check_url("https://192.168.1.20/api/v3/")


def test_redirects_are_not_followed(local_server: LocalServer) -> None:
    local_server.routes["/jwks"] = Route(302, b"", {"Location": "http://169.254.169.254/"})
    with pytest.raises(OutboundError, match="unexpected status 302"):
        Outbound(LOOPBACK_HTTP).get_json(local_server.url + "/jwks")
    assert [hit[1] for hit in local_server.hits] == ["/jwks"]


def test_responses_are_bounded(local_server: LocalServer) -> None:
    local_server.routes["/big"] = Route(200, b"[" + b"1," * 600_000 + b"1]")
    with pytest.raises(OutboundError, match="too large"):
        Outbound(LOOPBACK_HTTP).get_json(local_server.url + "/big")


def test_non_json_and_unreachable(local_server: LocalServer) -> None:
    local_server.routes["/text"] = Route(200, b"<html>")
    with pytest.raises(OutboundError, match="not JSON"):
        Outbound(LOOPBACK_HTTP).get_json(local_server.url + "/text")
    with pytest.raises(OutboundError, match="request failed"):
        Outbound(LOOPBACK_HTTP).get_json("http://127.0.0.1:9/nothing")
    with pytest.raises(OutboundError, match="CA PEM"):
        Outbound(LOOPBACK_HTTP).get_json(local_server.url + "/text", ca_pem="not a pem")


def test_cookies_never_carry_between_calls(local_server: LocalServer) -> None:
    local_server.routes["/a"] = Route(200, b"{}", {"Set-Cookie": "session=someone-else; Path=/"})
    outbound = Outbound(LOOPBACK_HTTP)
    outbound.get_json(local_server.url + "/a")
    outbound.get_json(local_server.url + "/a")
    assert all("cookie" not in headers for _, _, headers, _ in local_server.hits)
