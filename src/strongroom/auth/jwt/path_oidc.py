"""oidc/auth_url and oidc/callback: the OIDC authorization-code flow for people, with state, nonce and PKCE.

1. `auth_url` checks the redirect URI against the role, makes a random state, nonce and PKCE verifier, keeps
   them as a pending login (5 minutes), and answers the provider URL the browser should open.
2. The provider sends the browser back to the redirect URI (the CLI's loopback listener, or a UI), whose
   owner calls `callback` with `state` and `code`. The pending login is taken out of storage before anything
   else, so a state is good once, whatever happens next. The code is exchanged at the token endpoint with the
   PKCE verifier; the id_token must verify against the provider's JWKS, name our client id, and carry the
   nonce; then the role's claim checks run as for a JWT login.

Error text never repeats what the provider or the browser sent (reflected-content class, CVE-2026-33758).
"""

from __future__ import annotations

import base64
import hmac
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from strongroom.auth.jwt.claims import has_claim
from strongroom.auth.jwt.keysource import KeySource
from strongroom.auth.jwt.login import algorithms, check_claims, grant, load_config, load_role
from strongroom.auth.jwt.model import DEFAULT_CLOCK_SKEW, Config, PendingLogin, Role, leeway
from strongroom.auth.jwt.outbound import Outbound, OutboundError
from strongroom.auth.jwt.store import JwtStore
from strongroom.crypto.hashing import digest
from strongroom.crypto.random import base62
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

STATE_TTL = 300.0
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_ERROR_CODE = re.compile(r"[a-z_]{1,64}")


@dataclass(frozen=True)
class AuthUrlArgs:
    role: str | None = arg("Role to log in against; the config's default_role when omitted.", None)
    redirect_uri: str = arg("Where the provider sends the browser back; must be allowed by the role.", "")
    client_nonce: str = arg("Optional value the callback must repeat (binds the callback to this client).", "",
                            sensitive=True)


@dataclass(frozen=True)
class CallbackArgs:
    state: str = arg("The state from the auth_url.", "", sensitive=True)
    code: str = arg("The authorization code the provider returned.", "", sensitive=True)
    client_nonce: str = arg("The client_nonce sent to auth_url, if one was.", "", sensitive=True)
    id_token: str = arg("Not supported (implicit flow); present for compatibility.", "", sensitive=True)
    error: str = arg("Error code the provider returned instead of a code.", "")
    error_description: str = arg("Ignored: provider text is never echoed.", "")


def redirect_allowed(uri: str, allowed: tuple[str, ...]) -> bool:
    """Exact match, except that a loopback redirect may use any port (RFC 8252 section 7.3), as in Vault."""
    if uri in allowed:
        return True
    try:
        parts = urlsplit(uri)
        if parts.hostname not in _LOOPBACK:
            return False
        for candidate in allowed:
            other = urlsplit(candidate)
            if (other.scheme, other.hostname, other.path, other.query) == (
                parts.scheme, parts.hostname, parts.path, parts.query
            ):
                return True
    except ValueError:
        return False
    return False


def _oidc_ready(config: Config) -> None:
    if not (config.oidc_discovery_url and config.oidc_client_id and config.authorization_endpoint):
        raise InvalidRequest("OIDC login is not configured for this mount")


def _oidc_role(store: JwtStore, config: Config, name: str | None) -> Role:
    role = load_role(store, config, name)
    if role.role_type != "oidc":
        raise InvalidRequest(f'role "{role.name}" is not an OIDC role')
    return role


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(digest("sha2-256", verifier.encode())).rstrip(b"=").decode()


def path_auth_url(store: JwtStore, clock: Clock) -> Path[AuthUrlArgs]:
    def auth_url(request: Request, args: AuthUrlArgs) -> Response:
        config = load_config(store)
        _oidc_ready(config)
        role = _oidc_role(store, config, args.role)
        if not args.redirect_uri:
            raise InvalidRequest("missing redirect_uri")
        if not redirect_allowed(args.redirect_uri, role.allowed_redirect_uris):
            raise InvalidRequest("unauthorized redirect_uri")
        state, nonce, verifier = "st_" + base62(32), "n_" + base62(32), base62(64)
        store.put_pending(state, PendingLogin(
            role=role.name, redirect_uri=args.redirect_uri, nonce=nonce, code_verifier=verifier,
            client_nonce=args.client_nonce, expires=clock.now() + STATE_TTL,
        ))
        params = {
            "client_id": config.oidc_client_id,
            "redirect_uri": args.redirect_uri,
            "response_type": "code",
            "scope": " ".join(dict.fromkeys(("openid", *role.oidc_scopes))),
            "state": state,
            "nonce": nonce,
            "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256",
        }
        if config.oidc_response_mode == "form_post":
            params["response_mode"] = "form_post"
        if role.max_age:
            params["max_age"] = str(role.max_age)
        endpoint = config.authorization_endpoint
        url = endpoint + ("&" if "?" in endpoint else "?") + urlencode(params, quote_via=quote)
        return Response(data={"auth_url": url})

    return Path(r"oidc/auth_url", AuthUrlArgs, operations={Operation.UPDATE: auth_url},
                synopsis="Start an OIDC login: the URL to open in a browser.")


def _exchange(outbound: Outbound, config: Config, pending: PendingLogin, code: str) -> dict[str, Any]:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": pending.redirect_uri,
            "code_verifier": pending.code_verifier}
    auth = None
    if config.oidc_client_secret:
        auth = (quote(config.oidc_client_id, safe=""), quote(config.oidc_client_secret, safe=""))
    else:
        form["client_id"] = config.oidc_client_id
    try:
        reply = outbound.request("POST", config.token_endpoint, ca_pem=config.oidc_discovery_ca_pem, form=form,
                                 auth=auth)
        if reply.status != 200:
            raise OutboundError(f"unexpected status {reply.status}")
        tokens = reply.json()
    except OutboundError as exc:
        raise InvalidRequest(f"error exchanging oidc code: {exc}") from None
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise InvalidRequest("No id_token found in response.")
    return tokens


def _with_userinfo(outbound: Outbound, config: Config, role: Role, claims: dict[str, Any],
                   access_token: object) -> dict[str, Any]:
    """Claims the role needs but the id_token lacks are taken from the userinfo endpoint (same subject)."""
    wanted = [role.user_claim, role.groups_claim, *role.claim_mappings, *role.bound_claims]
    if not config.userinfo_endpoint or not isinstance(access_token, str) or all(
        has_claim(claims, w) for w in wanted if w
    ):
        return claims
    try:
        info = outbound.get_json(config.userinfo_endpoint, ca_pem=config.oidc_discovery_ca_pem,
                                 headers={"Authorization": f"Bearer {access_token}"})
    except OutboundError:
        return claims
    if not isinstance(info, dict) or info.get("sub") != claims.get("sub"):
        return claims
    return {**info, **claims}


def path_callback(store: JwtStore, keys: KeySource, outbound: Outbound, clock: Clock) -> Path[CallbackArgs]:
    def callback(request: Request, args: CallbackArgs) -> Response:
        now = clock.now()
        pending = store.take_pending(args.state, now) if args.state else None
        if args.error:
            code = args.error if _ERROR_CODE.fullmatch(args.error) else "error"
            raise InvalidRequest(f"the provider refused the login: {code}")
        if pending is None:
            raise InvalidRequest("Expired or missing OAuth state.")
        if pending.client_nonce and not hmac.compare_digest(args.client_nonce.encode(),
                                                            pending.client_nonce.encode()):
            raise InvalidRequest("invalid client_nonce")
        if not args.code:
            raise InvalidRequest("missing code")
        config = load_config(store)
        _oidc_ready(config)
        role = _oidc_role(store, config, pending.role)
        tokens = _exchange(outbound, config, pending, args.code)
        claims = keys.verify(tokens["id_token"], config, algorithms(config, oidc=True))
        nonce = claims.get("nonce")
        if not isinstance(nonce, str) or not hmac.compare_digest(nonce.encode(), pending.nonce.encode()):
            raise InvalidRequest("error validating token: invalid ID token nonce")
        _check_max_age(claims, role, now)
        claims = _with_userinfo(outbound, config, role, claims, tokens.get("access_token"))
        who = check_claims(claims, config, role, now, client_id=config.oidc_client_id)
        return Response(auth=grant(role, who, request.remote_addr))

    return Path(r"oidc/callback", CallbackArgs, operations={Operation.READ: callback, Operation.UPDATE: callback},
                synopsis="Finish an OIDC login: exchange the authorization code for a token.")


def _check_max_age(claims: dict[str, Any], role: Role, now: float) -> None:
    if not role.max_age:
        return
    auth_time = claims.get("auth_time")
    if isinstance(auth_time, bool) or not isinstance(auth_time, int | float):
        raise InvalidRequest("error validating token: auth_time claim is required when max_age is set")
    if now - auth_time > role.max_age + leeway(role.clock_skew_leeway, DEFAULT_CLOCK_SKEW):
        raise InvalidRequest("error validating token: auth_time is older than the role's max_age")
