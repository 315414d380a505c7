"""Bring your own key: `wrapping_key`, `keys/<name>/import` and `keys/<name>/import_version`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.common import NAME
from strongroom.keys import KeyService, NewKey
from strongroom.keys.export import import_key, import_version, wrapping_key
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.framework import Duration, Path, arg
from strongroom.sdk.request import Operation, Request
from strongroom.sdk.response import Response


@dataclass(frozen=True)
class WrappingArgs:
    pass


@dataclass(frozen=True)
class ImportArgs:
    name: str = arg("Name of the key.")
    ciphertext: str = arg("Base64 of RSA-OAEP(ephemeral AES-256 key) || AES-KWP(ephemeral, key material).",
                          default="", sensitive=True)
    public_key: str = arg("Not supported: only private key material can be imported.", default="")
    hash_function: str = arg("OAEP hash: SHA1, SHA224, SHA256 (default), SHA384, SHA512.", default="SHA256")
    type: str = arg("Key type of the imported material.", default="aes256-gcm96")
    derived: bool = arg("Derive keys per context.", default=False)
    convergent_encryption: bool | None = arg("Not supported on import.", default=None)
    exportable: bool = arg("Allow export.", default=False)
    allow_plaintext_backup: bool = arg("Allow plaintext backup.", default=False)
    auto_rotate_period: Duration = arg("Automatic rotation period (needs allow_rotation).", default=Duration(0))
    allow_rotation: bool = arg("Allow the server to rotate the imported key.", default=False)
    version: int | None = arg("Not supported: import_version always adds a new version.", default=None)


def paths_import(service: KeyService) -> list[Path[Any]]:
    def read_wrapping_key(request: Request, args: WrappingArgs) -> Response:
        return Response(data={"public_key": wrapping_key(service).public.pem()})

    def _check(args: ImportArgs) -> None:
        if args.public_key:
            raise InvalidRequest("importing public keys only is not supported")
        if not args.ciphertext:
            raise InvalidRequest("missing ciphertext with the wrapped key material")
        if args.version is not None:
            raise InvalidRequest("updating an existing version is not supported; omit version")

    def do_import(request: Request, args: ImportArgs) -> Response:
        _check(args)
        spec = NewKey(type=args.type.lower(), derived=args.derived,
                      convergent_encryption=bool(args.convergent_encryption), exportable=args.exportable,
                      allow_plaintext_backup=args.allow_plaintext_backup, auto_rotate_period=args.auto_rotate_period)
        if args.convergent_encryption is not None:
            raise InvalidRequest("import cannot be used on keys with convergent encryption enabled")
        import_key(service, args.name, spec, args.ciphertext, hash_function=args.hash_function,
                   allow_rotation=args.allow_rotation)
        return Response()

    def do_import_version(request: Request, args: ImportArgs) -> Response:
        _check(args)
        import_version(service, args.name, args.ciphertext, hash_function=args.hash_function)
        return Response()

    return [
        Path("wrapping_key", WrappingArgs, operations={Operation.READ: read_wrapping_key},
             synopsis="The RSA-4096 public key that wraps key material for import."),
        Path(f"keys/{NAME}/import", ImportArgs, operations={Operation.UPDATE: do_import},
             synopsis="Import wrapped key material as a new key."),
        Path(f"keys/{NAME}/import_version", ImportArgs, operations={Operation.UPDATE: do_import_version},
             synopsis="Import wrapped key material as a new version of an imported key."),
    ]
