"""Who signed a request: the sigv4 auth method checks the signature (through the core) and the caller gets a
token with the access key's policies.

Per request, `auth/sigv4/verify` checks the signature; a token minted by `auth/sigv4/login` is then reused for
that access key until it nears expiry or the key's `revision` changes (new policies, rotation). Replaced tokens
are revoked. The cache is per process and holds tokens only in memory.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.core.core import Core
from strongroom.kms.errors import AccessDeniedError
from strongroom.kms.settings import KmsSettings
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import StrongroomError
from strongroom.sdk.request import Operation, Request

_MARGIN = 60.0


@dataclass(frozen=True, slots=True)
class Identity:
    token: str
    region: str
    access_key_id: str
    signed_headers: tuple[str, ...]


@dataclass(slots=True)
class _Cached:
    token: str
    revision: int
    expires: float


class Authenticator:
    def __init__(self, core: Core, settings: KmsSettings, clock: Clock) -> None:
        self.core = core
        self.settings = settings
        self.clock = clock
        self._tokens: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def _call(self, path: str, data: Mapping[str, Any], remote_addr: str) -> Any:
        return self.core.handle(Request(operation=Operation.UPDATE, path=self.settings.sigv4_mount + path, data=data,
                                        remote_addr=remote_addr))

    def identify(self, signed: Mapping[str, Any], remote_addr: str) -> Identity:
        """Check the signature; raises the sigv4 method's errors (each carries its AWS code)."""
        verified = self._call("verify", signed, remote_addr).data or {}
        akid = str(verified["access_key_id"])
        revision = int(verified["revision"])
        now = self.clock.now()
        cached = self._tokens.get(akid)
        if cached is None or cached.revision != revision or cached.expires - _MARGIN < now:
            cached = self._login(akid, signed, remote_addr, now)
        return Identity(cached.token, str(verified["region"]), akid, tuple(verified.get("signed_headers") or ()))

    def _login(self, akid: str, signed: Mapping[str, Any], remote_addr: str, now: float) -> _Cached:
        response = self._call("login", signed, remote_addr)
        auth = response.auth_out or {}
        token = str(auth.get("client_token") or "")
        if not token:
            raise AccessDeniedError("The access key could not log in.")
        lease = int(auth.get("lease_duration") or 0)
        fresh = _Cached(token, int((response.data or {}).get("revision") or 0), now + (lease or 3600))
        with self._lock:
            old = self._tokens.get(akid)
            self._tokens[akid] = fresh
        if old is not None and old.token != token:
            self.revoke(old.token)
        return fresh

    def revoke(self, token: str) -> None:
        with contextlib.suppress(StrongroomError):  # already gone (expired or revoked by an operator)
            self.core.handle(Request(operation=Operation.UPDATE, path="auth/token/revoke-self", client_token=token))

    def forget(self, akid: str) -> None:
        """Drop a cached token the core refused (revoked by an operator); the next request logs in again."""
        with self._lock:
            self._tokens.pop(akid, None)
