"""`strongroom delete`: delete at any API path, as `vault delete`."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._base import EXIT_OK, SubParsers, add_command, make_client


def _delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.delete(args.path)
    print(f"Success! Data deleted (if it existed) at: {args.path}")
    return EXIT_OK


def register(sub: SubParsers) -> None:
    p = add_command(sub, "delete", _delete, "Delete data at any API path (DELETE /v1/PATH).", output=False)
    p.add_argument("path", metavar="PATH")
