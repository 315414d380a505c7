"""Where a mount's verification keys come from: PEM keys in the config, or a JWKS document (at `jwks_url`, or
at the `jwks_uri` the discovery document named), cached in memory.

A cached JWKS is used for `ttl` seconds. A token naming a key id the cache lacks, or one no cached key
verifies, triggers one refetch, at most once per `min_refresh` seconds, so an IdP's key rotation is picked up
at once and a stream of made-up key ids cannot make us hammer the IdP.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from strongroom.auth.jwt.model import Config
from strongroom.auth.jwt.outbound import Outbound, OutboundError
from strongroom.crypto import jose
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest


@dataclass(frozen=True)
class _Cached:
    url: str
    keys: jose.KeySet
    fetched: float


class KeySource:
    def __init__(self, outbound: Outbound, clock: Clock, *, ttl: float = 600.0, min_refresh: float = 5.0) -> None:
        self._outbound = outbound
        self._clock = clock
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._cached: _Cached | None = None
        self._pem: tuple[tuple[str, ...], jose.KeySet] | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None
            self._pem = None

    def fetch_jwks(self, url: str, ca_pem: str) -> jose.KeySet:
        """Fetch and parse a JWKS document (errors name the step, not the body)."""
        try:
            document = self._outbound.get_json(url, ca_pem=ca_pem)
        except OutboundError as exc:
            raise InvalidRequest(f"error fetching JWKS: {exc}") from None
        try:
            keys = jose.parse_jwks(document if isinstance(document, dict) else {})
        except jose.JoseError as exc:
            raise InvalidRequest(f"error parsing JWKS: {exc}") from None
        if not keys:
            raise InvalidRequest("error parsing JWKS: no usable signing keys")
        return keys

    def _static(self, config: Config) -> jose.KeySet:
        with self._lock:
            if self._pem is None or self._pem[0] != config.jwt_validation_pubkeys:
                self._pem = (config.jwt_validation_pubkeys, jose.parse_pem_public_keys(config.jwt_validation_pubkeys))
            return self._pem[1]

    def _jwks(self, url: str, ca_pem: str, *, refresh: bool) -> jose.KeySet | None:
        """The cached or fetched key set; None when a refresh was asked for but is not due yet."""
        now = self._clock.now()
        with self._lock:
            cached = self._cached
            if cached is not None and cached.url == url:
                if refresh and now - cached.fetched < self._min_refresh:
                    return None
                if not refresh and now - cached.fetched < self._ttl:
                    return cached.keys
            keys = self.fetch_jwks(url, ca_pem)
            self._cached = _Cached(url, keys, now)
            return keys

    def verify(self, token: str, config: Config, algorithms: Collection[str]) -> dict[str, Any]:
        """The verified payload, or InvalidRequest("error validating signature: ...")."""
        try:
            if config.jwt_validation_pubkeys:
                return jose.verify(token, self._static(config), algorithms)
            url, ca_pem = (config.jwks_url, config.jwks_ca_pem) if config.jwks_url else (
                config.jwks_uri, config.oidc_discovery_ca_pem)
            keys = self._jwks(url, ca_pem, refresh=False)
            assert keys is not None
            try:
                return jose.verify(token, keys, algorithms)
            except jose.BadSignature:
                # Only a failure that fresher keys could cure is worth a refetch.
                fresh = self._jwks(url, ca_pem, refresh=True)
                if fresh is None:
                    raise
                return jose.verify(token, fresh, algorithms)
        except jose.JoseError as exc:
            raise InvalidRequest(f"error validating signature: {exc}") from None
