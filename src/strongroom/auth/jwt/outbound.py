"""Server-side HTTP calls an auth method makes (OIDC discovery, JWKS, token endpoint, the GitHub API).

The server fetches URLs an operator configured, so every call is fenced (SSRF, security reference 2.4):

- https only; plain http only when the policy allows it *and* the target is a loopback address (tests);
- redirects are never followed: a 3xx answer is an error, so a provider cannot bounce us elsewhere;
- the host is resolved before the call and refused when any address is link-local (cloud metadata lives at
  169.254.169.254), multicast, unspecified or reserved, or loopback unless the policy allows loopback.
  Private ranges stay allowed: identity providers and GitHub Enterprise usually live on internal networks.
  (A DNS answer that changes between our check and httpx's own lookup is not caught; the check stops the
  plain cases of pointing a mount at an internal metadata service, not a rebinding attacker who also
  controls an operator's configuration.)
- connect/read timeouts, and responses are read in chunks up to `max_bytes` and abandoned beyond it;
- a custom CA (PEM) replaces the system roots when given, as Vault does for `*_ca_pem`.

Errors are `OutboundError` with fixed text naming the step, never a response body.
"""

from __future__ import annotations

import http.cookiejar
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

__all__ = ["FetchPolicy", "Outbound", "OutboundError", "Reply"]


class OutboundError(Exception):
    """A call that failed or was refused; the message is safe to show."""


@dataclass(frozen=True)
class FetchPolicy:
    """`allow_loopback` permits targets on 127.0.0.0/8 and ::1 (a sidecar provider, the test suite);
    `allow_http` permits plain http, and only to loopback targets."""

    allow_loopback: bool = False
    allow_http: bool = False
    timeout: float = 10.0
    max_bytes: int = 1 << 20


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str]

    def json(self) -> Any:
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise OutboundError("response is not JSON") from None


def _loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return True


class Outbound:
    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        # One pooled client per CA setting: building a TLS context costs more than a loopback round trip.
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()

    def _client(self, ca_pem: str) -> httpx.Client:
        with self._lock:
            client = self._clients.get(ca_pem)
            if client is None:
                if len(self._clients) >= 8:
                    for old in self._clients.values():
                        old.close()
                    self._clients.clear()
                # Pooled across logins, so it must never carry one caller's cookies into another's call.
                no_cookies = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
                client = httpx.Client(verify=self._verify(ca_pem), timeout=self.policy.timeout,
                                      follow_redirects=False, trust_env=False, cookies=no_cookies)
                self._clients[ca_pem] = client
            return client

    def check_url(self, url: str, *, resolve: bool = True) -> None:
        """Refuse a URL the policy does not allow (scheme, host, and the addresses it resolves to; without
        `resolve`, only an address written in the URL is checked, as when saving a config offline)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not host or parts.username or parts.password:
            raise OutboundError("URL must name a host and carry no credentials")
        if parts.scheme == "http":
            if not (self.policy.allow_http and _loopback_host(host)):
                raise OutboundError("URL must use https")
        elif parts.scheme != "https":
            raise OutboundError("URL must use https")
        if not resolve and not _literal(host):
            return
        for address in self._addresses(host, parts.port or (443 if parts.scheme == "https" else 80)):
            if address.is_loopback:
                if not self.policy.allow_loopback:
                    raise OutboundError("URL resolves to a loopback address, which this mount may not call")
            elif address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved:
                raise OutboundError("URL resolves to an address this server may not call")

    @staticmethod
    def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            raise OutboundError("URL host does not resolve") from None
        return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]

    def _verify(self, ca_pem: str) -> ssl.SSLContext | bool:
        if not ca_pem.strip():
            return True
        try:
            return ssl.create_default_context(cadata=ca_pem)
        except (ssl.SSLError, ValueError):
            raise OutboundError("CA PEM does not parse") from None

    def request(
        self,
        method: str,
        url: str,
        *,
        ca_pem: str = "",
        headers: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Reply:
        self.check_url(url)
        try:
            with self._client(ca_pem).stream(
                method, url, headers={"Accept": "application/json", **(headers or {})}, data=form, auth=auth
            ) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.policy.max_bytes:
                        raise OutboundError("response is too large")
                return Reply(response.status_code, bytes(body), dict(response.headers))
        except httpx.TimeoutException:
            raise OutboundError("request timed out") from None
        except httpx.HTTPError:
            raise OutboundError("request failed") from None

    def get_json(self, url: str, *, ca_pem: str = "", headers: Mapping[str, str] | None = None) -> Any:
        """GET a 200 JSON answer (any other status is an error naming the status only)."""
        reply = self.request("GET", url, ca_pem=ca_pem, headers=headers)
        if reply.status != 200:
            raise OutboundError(f"unexpected status {reply.status}")
        return reply.json()
