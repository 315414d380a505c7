"""`strongroom read`: read any API path, as `vault read`."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_ERROR, SubParsers, add_command, error, make_client
from strongroom.cli.commands._output import print_secret


def _read(args: argparse.Namespace) -> int:
    params = {k: str(v) for k, v in parse_kv_args(args.params).items()}
    with make_client(args) as client:
        secret = client.read(args.path, **params)
    if secret is None:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    return print_secret(args, secret)


def register(sub: SubParsers) -> None:
    p = add_command(sub, "read", _read, "Read data at any API path (GET /v1/PATH).", "K=V pairs become query params.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("params", nargs="*", metavar="K=V", help="query parameters, e.g. version=2")
