"""login and verify: check a SigV4-signed request. `login` returns a token with the access key's policies;
`verify` only says whose signature it is (the KMS face calls it per request and reuses a token it logged in for
until the key's `revision` changes).

Failures raise SigV4Error subclasses, each naming its AWS error code. The signing key (an HMAC chain over the
secret, the date, the region and the service) is cached per access key revision and scope.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field, replace

from strongroom.auth.sigv4 import signature
from strongroom.auth.sigv4.errors import UnrecognizedClient
from strongroom.auth.sigv4.model import AccessKey, KeyStore
from strongroom.auth.sigv4.settings import SettingsStore
from strongroom.auth.tokenfields import remote_addr_allowed
from strongroom.crypto.hashing import sha256
from strongroom.sdk.clock import Clock
from strongroom.sdk.errors import InvalidRequest, PermissionDenied
from strongroom.sdk.framework import Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response

DEFAULT_TOKEN_TTL = 3600
_CACHE_LIMIT = 4096


@dataclass(frozen=True)
class SignedArgs:
    method: str = arg("HTTP method of the signed request.", default="POST")
    path: str = arg("Path of the signed request, as sent (percent-encoded).", default="/")
    query: str = arg("Query string of the signed request, as sent.", default="")
    headers: dict[str, str] = arg("Headers of the signed request, including Authorization.", factory=dict,
                                  sensitive=True)
    body_sha256: str = arg("Hex SHA-256 of the body as received (or give `body`).", default="")
    body: str | None = arg("The body, base64 (instead of body_sha256).", default=None, sensitive=True)
    service: str = arg("The service the credential scope must name.", default="kms")


@dataclass
class Verifier:
    store: KeyStore
    settings: SettingsStore
    clock: Clock
    _keys: dict[tuple[str, int, str, str, str], bytes] = field(default_factory=dict)

    def check(self, args: SignedArgs) -> tuple[str, AccessKey, signature.Credential]:
        headers = {k.lower(): v for k, v in args.headers.items()}
        credential = signature.parse_authorization(headers)
        timestamp, amz_date = signature.request_time(headers)
        signature.check_fresh(timestamp, self.clock.now(), self.settings.max_skew())
        signature.check_scope(credential, amz_date, args.service)
        found = self.store.by_access_key_id(credential.access_key_id)
        if found is None:
            raise UnrecognizedClient()
        name, key = found
        request = signature.SignedRequest(args.method, args.path, args.query, headers, _body_hash(args))
        signature.verify(request, credential, amz_date, self._signing_key(key, credential))
        return name, key, credential

    def _signing_key(self, key: AccessKey, credential: signature.Credential) -> bytes:
        slot = (key.access_key_id, key.revision, credential.date, credential.region, credential.service)
        found = self._keys.get(slot)
        if found is None:
            if len(self._keys) >= _CACHE_LIMIT:
                self._keys.clear()
            found = self._keys[slot] = signature.signing_key(key.secret_access_key, credential.date,
                                                            credential.region, credential.service)
        return found


def _body_hash(args: SignedArgs) -> str:
    if args.body is not None:
        try:
            return sha256(binascii.a2b_base64(args.body, strict_mode=True)).hex()
        except ValueError:
            raise InvalidRequest("body must be base64") from None
    if len(args.body_sha256) != 64:
        raise InvalidRequest("body_sha256 must be a hex SHA-256 digest")
    return args.body_sha256.lower()


def paths_login(verifier: Verifier) -> list[Path[SignedArgs]]:
    def verify(request: Request, args: SignedArgs) -> Response:
        name, key, credential = verifier.check(args)
        return Response(data={"name": name, "access_key_id": key.access_key_id, "revision": key.revision,
                              "region": credential.region, "signed_headers": list(credential.signed_headers)})

    def login(request: Request, args: SignedArgs) -> Response:
        name, key, credential = verifier.check(args)
        if key.token.bound_cidrs and not remote_addr_allowed(request.remote_addr, key.token.bound_cidrs):
            raise PermissionDenied()
        token = key.token
        grant = token.grant(display_name=name, alias_name=key.access_key_id,
                            metadata={"access_key_id": key.access_key_id, "access_key_name": name,
                                      "region": credential.region})
        if not token.ttl and not token.period:
            grant = replace(grant, ttl=DEFAULT_TOKEN_TTL)
        return Response(auth=grant, data={"revision": key.revision})

    return [
        Path("login", SignedArgs, operations={Operation.UPDATE: login},
             synopsis="Log in with a SigV4-signed request; returns a token carrying the access key's policies."),
        Path("verify", SignedArgs, operations={Operation.UPDATE: verify}, inline=True,
             synopsis="Check a SigV4-signed request and say which access key signed it (no token is issued)."),
    ]

