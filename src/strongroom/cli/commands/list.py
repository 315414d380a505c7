"""`strongroom list`: list the keys under any API path, as `vault list`."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._base import EXIT_ERROR, SubParsers, add_command, error, make_client
from strongroom.cli.commands._output import print_list


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        keys = client.list(args.path)
    if not keys:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    return print_list(args, keys)


def register(sub: SubParsers) -> None:
    p = add_command(sub, "list", _list, "List the keys under any API path (LIST /v1/PATH); folders end in /.")
    p.add_argument("path", metavar="PATH")
