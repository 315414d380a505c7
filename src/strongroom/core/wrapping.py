"""Response wrapping: the real response is kept behind a single-use token.

The wrapped envelope is stored at `sys/wrapping/<token id>` behind the barrier; unwrapping takes it (an atomic
delete-and-return in storage, so also across worker processes sharing the file) and revokes the token, so a
wrapping token unwraps exactly once.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import orjson

from strongroom.core.envelope import envelope
from strongroom.core.issuing import store_token
from strongroom.core.tokens.entry import TokenEntry
from strongroom.sdk.clock import rfc3339
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.request import Request
from strongroom.sdk.response import Raw, Response

if TYPE_CHECKING:
    from strongroom.core.core import Core

WRAPPING_POLICY = "response-wrapping"
INVALID = "wrapping token is not valid or does not exist"
_unwrap_lock = threading.Lock()


def wrap(core: Core, request: Request, full_path: str, response: Response) -> Response:
    ttl = request.wrap_ttl or 300
    now = core.clock.now()
    entry = TokenEntry(id="", accessor="", policies=(WRAPPING_POLICY,), path=full_path, creation_time=now,
                       ttl=ttl, expire_time=now + ttl, display_name="wrapping", num_uses=1, renewable=False)
    token, entry = store_token(core, entry)
    body = envelope(response, "")
    core.wrapping.put(entry.id, orjson.dumps(body))
    info: dict[str, Any] = {"token": token, "accessor": entry.accessor, "ttl": ttl,
                            "creation_time": rfc3339(now), "creation_path": full_path}
    if response.auth_out is not None:
        info["wrapped_accessor"] = response.auth_out.get("accessor", "")
    return Response(wrap_info=info)


def _wrapping_entry(core: Core, token: str) -> TokenEntry:
    entry = core.tokens.lookup(token)
    if entry is None or WRAPPING_POLICY not in entry.policies:
        raise InvalidRequest(INVALID)
    return entry


def lookup(core: Core, token: str) -> dict[str, Any]:
    entry = _wrapping_entry(core, token)
    return {"creation_path": entry.path, "creation_time": rfc3339(entry.creation_time), "creation_ttl": entry.ttl}


def unwrap(core: Core, token: str) -> Response:
    with _unwrap_lock:
        entry = _wrapping_entry(core, token)
        stored = core.wrapping.take(entry.id)  # atomic across worker processes: exactly one unwrap gets it
        core.tokens.revoke_tree(entry.id)
    if stored is None:
        raise InvalidRequest(INVALID)
    body = orjson.loads(stored)
    return Response(raw=Raw(200, body))


def rewrap(core: Core, token: str, request: Request) -> Response:
    entry = _wrapping_entry(core, token)
    inner = unwrap(core, token)
    assert inner.raw is not None and isinstance(inner.raw.body, dict)
    ttl = entry.ttl
    fresh = TokenEntry(id="", accessor="", policies=(WRAPPING_POLICY,), path=entry.path,
                       creation_time=core.clock.now(), ttl=ttl, expire_time=core.clock.now() + ttl,
                       display_name="wrapping", num_uses=1, renewable=False)
    new_token, fresh = store_token(core, fresh)
    core.wrapping.put(fresh.id, orjson.dumps(inner.raw.body))
    return Response(wrap_info={"token": new_token, "accessor": fresh.accessor, "ttl": ttl,
                               "creation_time": rfc3339(fresh.creation_time), "creation_path": entry.path})
