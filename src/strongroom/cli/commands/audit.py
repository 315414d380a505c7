"""`strongroom audit list|verify`: audit devices and offline verification of a log's hash chain."""

from __future__ import annotations

import argparse

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
from strongroom.cli.commands._output import columns, dump, print_field
from strongroom.client.audit_verify import verify_file


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        devices = client.sys.audit_devices()
    raw = {p: d.raw for p, d in devices.items()}
    if args.field:
        return print_field(raw, args.field)
    if args.format != "table":
        dump(args, raw)
        return EXIT_OK
    if not devices:
        print("No audit devices are enabled.")
        return EXIT_OK
    headers: tuple[str, ...] = ("Path", "Type", "Description")
    if args.detailed:
        headers += ("Options",)
    rows = []
    for path, device in sorted(devices.items()):
        row = [path, device.type, device.description or "n/a"]
        if args.detailed:
            row.append(" ".join(f"{k}={v}" for k, v in sorted(device.options.items())) or "n/a")
        rows.append(row)
    print(columns(headers, rows))
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    try:
        result = verify_file(args.file)
    except FileNotFoundError:
        raise CliUsageError(f"no such file: {args.file}") from None
    report = {
        "ok": result.ok,
        "lines": result.lines,
        "first_bad_line": result.first_bad_line,
        "reason": result.reason,
        "last_hash": result.last_hash,
    }
    if args.field:
        print_field(report, args.field)
    elif args.format != "table":
        dump(args, report)
    elif result.ok:
        print(f"OK: {args.file}: {result.lines} entries, hash chain intact\n"
              f"last entry sha256: {result.last_hash} (keep it elsewhere: the tail has no other witness)")
    else:
        error(f"FAILED: {args.file}: line {result.first_bad_line}: {result.reason}")
    return EXIT_OK if result.ok else EXIT_ERROR


def register(sub: SubParsers) -> None:
    group = add_group(sub, "audit", "List audit devices and verify audit logs.")
    p = add_command(group, "list", _list, "List the enabled audit devices.")
    p.add_argument("-detailed", "--detailed", action="store_true", help="also show each device's options")
    p = add_command(
        group,
        "verify",
        _verify,
        "Verify the hash chain of an audit log file (offline; no server needed).",
        "Each entry carries `seq` and `prev_hash` (SHA-256 of the previous line). Reports the first broken\n"
        "or missing link, or, when intact, the SHA-256 of the last line: record it elsewhere, since an edit\n"
        "or truncation of the tail leaves no other trace. Exit 0 when intact, 2 when broken, 1 when the file\n"
        "cannot be read.",
        connect=False,
    )
    p.add_argument("file", metavar="FILE")
