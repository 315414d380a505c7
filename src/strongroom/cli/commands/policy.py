"""`strongroom policy read|write|list|delete|fmt`: ACL policies (HCL or JSON)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strongroom.cli.commands._base import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CliUsageError,
    SubParsers,
    add_command,
    add_group,
    error,
    make_client,
)
from strongroom.cli.commands._output import dump, print_field
from strongroom.cli.commands._policy_fmt import PolicyFormatError, format_policy


def _read_source(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliUsageError(f"cannot read {source!r}: {exc.strerror}") from None


def _read(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        text = client.sys.read_policy(args.name)
    if text is None:
        error(f"No policy named: {args.name}")
        return EXIT_ERROR
    if args.field:
        return print_field({"name": args.name, "policy": text}, args.field)
    if args.format != "table":
        dump(args, {"name": args.name, "policy": text})
    else:
        print(text.rstrip("\n"))
    return EXIT_OK


def _write(args: argparse.Namespace) -> int:
    text = _read_source(args.source)
    if not text.strip():
        raise CliUsageError("the policy is empty")
    with make_client(args) as client:
        client.sys.write_policy(args.name, text)
    print(f"Success! Uploaded policy: {args.name}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        names = client.sys.list_policies()
    if args.format != "table":
        dump(args, names)
        return EXIT_OK
    print("\n".join(names))
    return EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.sys.delete_policy(args.name)
    print(f"Success! Deleted policy: {args.name}")
    return EXIT_OK


def _fmt(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        formatted = format_policy(_read_source(args.file))
    except PolicyFormatError as exc:
        error(f"Error formatting policy: {exc}")
        return EXIT_USAGE
    if args.check:
        return EXIT_OK if path.read_text(encoding="utf-8") == formatted else EXIT_ERROR
    path.write_text(formatted, encoding="utf-8")
    print(f"Success! Formatted policy: {args.file}")
    return EXIT_OK


def register(sub: SubParsers) -> None:
    group = add_group(sub, "policy", "Manage ACL policies.")
    p = add_command(group, "read", _read, "Print the text of a policy.")
    p.add_argument("name", metavar="NAME")
    p = add_command(
        group,
        "write",
        _write,
        "Create or replace a policy from a file (HCL or JSON).",
        "example:\n  strongroom policy write dev dev.hcl\n  cat dev.hcl | strongroom policy write dev -",
        output=False,
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("source", metavar="FILE", help="policy file, or - for stdin")
    p = add_command(group, "list", _list, "List the policy names.")
    p = add_command(group, "delete", _delete, "Delete a policy (root and default cannot be deleted).", output=False)
    p.add_argument("name", metavar="NAME")
    p = add_command(
        group,
        "fmt",
        _fmt,
        "Rewrite a policy file in the canonical HCL layout (no server needed).",
        "Comments are kept, moved to the top of the block they were in.",
        output=False,
        connect=False,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("-check", "--check", action="store_true", help="only report (exit 2) whether FILE needs formatting")
