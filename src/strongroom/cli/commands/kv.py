"""`strongroom kv`: KV version 1 and 2 secrets with automatic version detection, as `vault kv`."""

from __future__ import annotations

import argparse
from typing import Any

from strongroom.cli.commands._args import parse_csv_ints, parse_kv_args
from strongroom.cli.commands._base import (
    EXIT_ERROR,
    EXIT_OK,
    CliUsageError,
    SubParsers,
    add_command,
    add_group,
    error,
    make_client,
)
from strongroom.cli.commands._kv_metadata import register_metadata
from strongroom.cli.commands._output import dump, kv_table, print_field, print_list, print_secret, print_warnings
from strongroom.client import KvPath, Secret

PATH_HELP = "secret path, e.g. secret/app (or app with -mount=secret)"


def _heading(title: str) -> str:
    pad = "=" * max(3, (len(title) // 2))
    return f"{pad} {title} {pad}"


def print_kv_write(args: argparse.Namespace, display: str, secret: Secret | None) -> int:
    """The reply of put/patch: v2 shows the new version's metadata, v1 a success line."""
    if secret is None:
        if args.format != "table":
            dump(args, None)
        else:
            print(f"Success! Data written to: {display}")
        return EXIT_OK
    if args.field or args.format != "table":
        return print_secret(args, secret)
    print_warnings(secret.warnings)
    print(f"{_heading('Secret Path')}\n{display}\n\n{_heading('Metadata')}")
    print(kv_table(sorted((secret.data or {}).items())))
    return EXIT_OK


def _get(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        result = client.secrets.kv.get(args.path, version=args.version, mount=args.mount)
    if result is None:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    code = EXIT_OK if result.data is not None else EXIT_ERROR
    if args.field:
        if result.data is None:
            error(f"No data at {args.path}: the version is deleted or destroyed")
            return EXIT_ERROR
        return print_field(result.data, args.field)
    if args.format != "table":
        dump(args, result.secret.raw)
        return code
    if result.kv_version == 1:
        print_secret(args, result.secret)
        return code
    print_warnings(result.secret.warnings)
    print(f"{_heading('Secret Path')}\n{result.path}\n\n{_heading('Metadata')}")
    print(kv_table(sorted((result.metadata or {}).items())))
    if result.data is None:
        error(f"\nNo data at {args.path}: version {(result.metadata or {}).get('version')} is deleted or destroyed")
        return code
    print(f"\n{_heading('Data')}")
    print(kv_table(sorted(result.data.items())))
    return code


def _write(args: argparse.Namespace, patch: bool) -> int:
    data: dict[str, Any] = parse_kv_args(args.data)
    if not data:
        raise CliUsageError("give at least one key=value pair (or - to read a JSON object from stdin)")
    with make_client(args) as client:
        kv = client.secrets.kv
        if patch:
            secret = kv.patch(args.path, data, cas=args.cas, mount=args.mount)
        else:
            secret = kv.put(args.path, data, cas=args.cas, mount=args.mount)
        display = kv.resolve(args.path, args.mount).api("data") if secret is not None else args.path
    return print_kv_write(args, display, secret)


def _put(args: argparse.Namespace) -> int:
    return _write(args, patch=False)


def _patch(args: argparse.Namespace) -> int:
    return _write(args, patch=True)


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        keys = client.secrets.kv.list(args.path, mount=args.mount)
    if not keys:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    return print_list(args, keys)


def _versions(args: argparse.Namespace) -> list[int] | None:
    return parse_csv_ints(args.versions, "-versions") if args.versions else None


def _delete(args: argparse.Namespace) -> int:
    versions = _versions(args)
    with make_client(args) as client:
        client.secrets.kv.delete(args.path, versions=versions, mount=args.mount)
    print(f"Success! Data deleted (if it existed) at: {args.path}")
    return EXIT_OK


def _versioned(args: argparse.Namespace, action: str) -> int:
    versions = _versions(args)
    if versions is None:
        raise CliUsageError("-versions=N[,N...] is required")
    with make_client(args) as client:
        kv = client.secrets.kv
        (kv.undelete if action == "undelete" else kv.destroy)(args.path, versions, mount=args.mount)
        target: KvPath = kv.resolve(args.path, args.mount)
    print(f"Success! Data written to: {target.api(action)}")
    return EXIT_OK


def _undelete(args: argparse.Namespace) -> int:
    return _versioned(args, "undelete")


def _destroy(args: argparse.Namespace) -> int:
    return _versioned(args, "destroy")


def add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help=PATH_HELP)
    parser.add_argument("-mount", "--mount", default=None, help="mount path; PATH is then relative to it")


def register(sub: SubParsers) -> None:
    group = add_group(
        sub,
        "kv",
        "Read and write key/value secrets (KV version 1 or 2, detected per mount).",
        "The KV version is found through sys/internal/ui/mounts/<path>; v2 paths get /data/ inserted.",
    )
    p = add_command(group, "get", _get, "Read a secret (the latest version, or -version=N).")
    add_path(p)
    p.add_argument("-version", "--version", type=int, default=None, help="version to read (KV v2)")
    for name, handler, summary in (
        ("put", _put, "Write a secret: a new version on v2, a replacement on v1."),
        ("patch", _patch, "Merge keys into the latest version (KV v2 only); other keys are kept."),
    ):
        p = add_command(
            group, name, handler, summary, "DATA is key=value pairs (key=@file, key=- for stdin) or - for JSON."
        )
        add_path(p)
        p.add_argument("data", nargs="*", metavar="DATA", help="key=value pairs, or - for JSON on stdin")
        p.add_argument("-cas", "--cas", type=int, default=None, help="check-and-set: the current version (0 = new)")
    p = add_command(group, "list", _list, "List the keys under a path; folders end in /.")
    add_path(p)
    p = add_command(
        group, "delete", _delete, "Delete a secret: v1 removes it, v2 soft-deletes the latest or -versions."
    )
    add_path(p)
    p.add_argument("-versions", "--versions", default=None, help="comma-separated versions to delete (KV v2)")
    p = add_command(group, "undelete", _undelete, "Restore soft-deleted versions (KV v2).", output=True)
    add_path(p)
    p.add_argument("-versions", "--versions", default=None, help="comma-separated versions (required)")
    p = add_command(group, "destroy", _destroy, "Permanently remove the data of versions (KV v2).")
    add_path(p)
    p.add_argument("-versions", "--versions", default=None, help="comma-separated versions (required)")
    register_metadata(group, add_path)
