"""`strongroom kv metadata get|put|delete` (KV v2 only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_ERROR, EXIT_OK, SubParsers, add_command, add_group, error, make_client
from strongroom.cli.commands._output import dump, kv_table, print_field


def _get(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        secret = client.secrets.kv.metadata.get(args.path, mount=args.mount)
    if secret is None or secret.data is None:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    data = secret.data
    if args.field:
        return print_field(data, args.field)
    if args.format != "table":
        dump(args, secret.raw)
        return EXIT_OK
    print(kv_table(sorted((k, v) for k, v in data.items() if k != "versions")))
    versions: dict[str, Any] = data.get("versions") or {}
    for number in sorted(versions, key=lambda v: int(v) if v.isdigit() else 0):
        print(f"\n====== Version {number} ======")
        print(kv_table(sorted(versions[number].items())))
    return EXIT_OK


def _put(args: argparse.Namespace) -> int:
    custom = parse_kv_args(args.custom_metadata) if args.custom_metadata else None
    with make_client(args) as client:
        client.secrets.kv.metadata.put(
            args.path,
            max_versions=args.max_versions,
            cas_required=args.cas_required,
            delete_version_after=args.delete_version_after,
            custom_metadata={k: str(v) for k, v in custom.items()} if custom is not None else None,
            mount=args.mount,
        )
    print(f"Success! Data written to: {args.path}")
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.secrets.kv.metadata.delete(args.path, mount=args.mount)
    print(f"Success! Data deleted (if it existed) at: {args.path}")
    return EXIT_OK


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def register_metadata(kv_group: SubParsers, add_path: Callable[[argparse.ArgumentParser], None]) -> None:
    group = add_group(kv_group, "metadata", "Read and write per-key metadata of a KV v2 mount.")
    p = add_command(group, "get", _get, "Show a key's metadata and the state of every version.")
    add_path(p)
    p = add_command(group, "put", _put, "Set max_versions, cas_required, delete_version_after or custom metadata.")
    add_path(p)
    p.add_argument("-max-versions", "--max-versions", dest="max_versions", type=int, default=None)
    p.add_argument("-cas-required", "--cas-required", dest="cas_required", type=_bool, default=None)
    p.add_argument(
        "-delete-version-after",
        "--delete-version-after",
        dest="delete_version_after",
        default=None,
        help="e.g. 30d or 1h; 0s disables",
    )
    p.add_argument(
        "-custom-metadata",
        "--custom-metadata",
        dest="custom_metadata",
        action="append",
        default=[],
        metavar="K=V",
        help="custom metadata pair; repeat for several (replaces the whole map)",
    )
    p = add_command(group, "delete", _delete, "Delete a key's metadata and all of its versions.", output=False)
    add_path(p)
