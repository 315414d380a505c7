"""`keys/`, `keys/<name>`, `keys/<name>/config`, `keys/<name>/rotate`, `keys/<name>/trim`: the key lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.common import NAME, b64decode
from strongroom.engines.transit.keyinfo import key_info
from strongroom.keys import ConfigChange, KeyService, NewKey
from strongroom.sdk.clock import parse_rfc3339
from strongroom.sdk.errors import InvalidRequest, NotFound
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class ListArgs:
    pass


@dataclass(frozen=True)
class KeyArgs:
    name: str = arg("Name of the key.")
    type: str = arg("Key type: aes128-gcm96, aes256-gcm96 (default), chacha20-poly1305, ed25519, ecdsa-p256, "
                    "ecdsa-p384, ecdsa-p521, rsa-2048, rsa-3072, rsa-4096 or hmac.", default="aes256-gcm96")
    derived: bool = arg("Derive a key per request context (HKDF-SHA256); every use then needs a context.",
                        default=False)
    convergent_encryption: bool = arg("Same plaintext and context give the same ciphertext; needs derived.",
                                      default=False)
    exportable: bool = arg("Allow the key material to be exported (cannot be undone).", default=False)
    allow_plaintext_backup: bool = arg("Allow a plaintext backup of the key (cannot be undone).", default=False)
    auto_rotate_period: Duration = arg("Rotate automatically after this long; 0 disables, else at least 1h.",
                                       default=Duration(0))
    key_size: int = arg("Key size in bytes for hmac keys (32-512).", default=0)
    context: str = arg("Base64 context, to show the public key of a derived ed25519 key.", default="")
    custom_metadata: dict[str, str] | None = arg("Free-form string metadata stored with the key.", default=None)


@dataclass(frozen=True)
class ConfigArgs:
    name: str = arg("Name of the key.")
    min_decryption_version: int | None = arg("Oldest version that may still decrypt, verify or be exported.",
                                             default=None)
    min_encryption_version: int | None = arg("Oldest version that may encrypt or sign; 0 means the latest.",
                                             default=None)
    deletion_allowed: bool | None = arg("Whether the key may be deleted.", default=None)
    exportable: bool | None = arg("Allow export (one-way: false is ignored).", default=None)
    allow_plaintext_backup: bool | None = arg("Allow plaintext backup (one-way: false is ignored).", default=None)
    auto_rotate_period: Duration | None = arg("Automatic rotation period; 0 disables, else at least 1h.",
                                              default=None)
    disabled: bool | None = arg("Refuse every cryptographic use of the key (Strongroom extension).", default=None)
    delete_after: str | None = arg("RFC 3339 time after which the key is deleted; empty cancels (extension).",
                                   default=None)
    custom_metadata: dict[str, str] | None = arg("Replace the key's free-form metadata (extension).", default=None)


@dataclass(frozen=True)
class NameArgs:
    name: str = arg("Name of the key.")


@dataclass(frozen=True)
class TrimArgs:
    name: str = arg("Name of the key.")
    min_available_version: int = arg("Versions below this are deleted for good.", default=0)


def _context(text: str) -> bytes | None:
    if not text:
        return None
    try:
        return b64decode(text)
    except InvalidRequest:
        raise InvalidRequest("failed to base64-decode context") from None


def paths_keys(service: KeyService) -> list[Path[Any]]:
    def list_keys(request: Request, args: ListArgs) -> Response:
        names = service.names()
        if not names:
            raise NotFound()
        return Response(data={"keys": names})

    def write(request: Request, args: KeyArgs) -> Response:
        spec = NewKey(type=args.type, derived=args.derived, convergent_encryption=args.convergent_encryption,
                      exportable=args.exportable, allow_plaintext_backup=args.allow_plaintext_backup,
                      auto_rotate_period=args.auto_rotate_period, key_size=args.key_size,
                      custom_metadata=dict(args.custom_metadata or {}))
        ring, created = service.create(args.name, spec)
        response = Response(data=key_info(ring))
        if not created:
            response.warnings.append(f"key {args.name} already existed")
        return response

    def read(request: Request, args: KeyArgs) -> Response:
        ring = service.get(args.name)
        if ring is None:
            raise NotFound()
        return Response(data=key_info(ring, _context(args.context)))

    def delete(request: Request, args: KeyArgs) -> Response:
        try:
            service.delete(args.name)
        except InvalidRequest as exc:
            raise InvalidRequest(f"error deleting policy {args.name}: {exc.message}") from None
        return Response()

    def exists(request: Request, args: KeyArgs) -> bool:
        return service.get(args.name) is not None

    def configure(request: Request, args: ConfigArgs) -> Response:
        if service.get(args.name) is None:
            raise InvalidRequest("no such key")
        delete_after = None
        if args.delete_after is not None:
            try:
                delete_after = parse_rfc3339(args.delete_after) if args.delete_after else 0.0
            except ValueError:
                raise InvalidRequest("delete_after must be an RFC 3339 time") from None
        change = ConfigChange(
            min_decryption_version=args.min_decryption_version, min_encryption_version=args.min_encryption_version,
            deletion_allowed=args.deletion_allowed, exportable=args.exportable,
            allow_plaintext_backup=args.allow_plaintext_backup, auto_rotate_period=args.auto_rotate_period,
            disabled=args.disabled, delete_after=delete_after, custom_metadata=args.custom_metadata)
        ring, warnings = service.configure(args.name, change)
        return Response(data=key_info(ring), warnings=warnings)

    def rotate(request: Request, args: NameArgs) -> Response:
        if service.get(args.name) is None:
            raise InvalidRequest("key not found")
        return Response(data=key_info(service.rotate(args.name)))

    def trim(request: Request, args: TrimArgs) -> Response:
        if service.get(args.name) is None:
            raise InvalidRequest("invalid key name")
        # The key's description, as rotate and config answer (OpenBao 2.7.2 does so for trim too).
        return Response(data=key_info(service.trim(args.name, args.min_available_version)))

    return [
        Path("keys/?", ListArgs, operations={Operation.LIST: list_keys}, synopsis="List the named keys."),
        Path(f"keys/{NAME}", KeyArgs,
             operations={Operation.UPDATE: write, Operation.CREATE: write, Operation.READ: read,
                         Operation.DELETE: delete},
             existence_check=exists, synopsis="Create, read or delete a named key.",
             description="A write creates the key if it does not exist and returns its description."),
        Path(f"keys/{NAME}/config", ConfigArgs, operations={Operation.UPDATE: configure},
             synopsis="Configure a named key: minimum versions, deletion, export, backup, auto-rotation."),
        Path(f"keys/{NAME}/rotate", NameArgs, operations={Operation.UPDATE: rotate},
             synopsis="Rotate a named key: a new version becomes the one that encrypts and signs."),
        Path(f"keys/{NAME}/trim", TrimArgs, operations={Operation.UPDATE: trim},
             synopsis="Delete key versions below min_available_version for good."),
    ]
