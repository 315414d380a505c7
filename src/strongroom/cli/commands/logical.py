"""`strongroom read|write|list|delete`: raw access to any API path, as the Vault CLI's generic commands."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import (
    EXIT_ERROR,
    EXIT_OK,
    CliUsageError,
    SubParsers,
    add_command,
    error,
    make_client,
)
from strongroom.cli.commands._output import dump, print_list, print_secret

DATA_HELP = """\
DATA is key=value pairs; key=@FILE reads the value from a file, key=- from stdin, and a lone - reads
the whole body as a JSON object from stdin. Examples:
  strongroom write kv1/app user=alice password=@pw.txt
  echo '{"policies": ["dev"]}' | strongroom write auth/token/create -"""


def _read(args: argparse.Namespace) -> int:
    params = {k: str(v) for k, v in parse_kv_args(args.params).items()}
    with make_client(args) as client:
        secret = client.read(args.path, **params)
    if secret is None:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    return print_secret(args, secret)


def _write(args: argparse.Namespace) -> int:
    data = parse_kv_args(args.data)
    if not data and not args.force:
        raise CliUsageError("give key=value data, - for JSON on stdin, or -force to write an empty body")
    with make_client(args) as client:
        secret = client.write_data(args.path, data or None)
    if secret is None:
        if args.format != "table":
            dump(args, None)
        else:
            print(f"Success! Data written to: {args.path}")
        return EXIT_OK
    return print_secret(args, secret)


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        keys = client.list(args.path)
    if not keys:
        error(f"No value found at {args.path}")
        return EXIT_ERROR
    return print_list(args, keys)


def _delete(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.delete(args.path)
    print(f"Success! Data deleted (if it existed) at: {args.path}")
    return EXIT_OK


def register(sub: SubParsers) -> None:
    p = add_command(sub, "read", _read, "Read data at any API path (GET /v1/PATH).", "K=V pairs become query params.")
    p.add_argument("path", metavar="PATH")
    p.add_argument("params", nargs="*", metavar="K=V", help="query parameters, e.g. version=2")
    p = add_command(sub, "write", _write, "Write data to any API path (PUT /v1/PATH).", DATA_HELP)
    p.add_argument("path", metavar="PATH")
    p.add_argument("data", nargs="*", metavar="DATA")
    p.add_argument("-force", "--force", "-f", action="store_true", help="allow an empty body (sends null)")
    p = add_command(sub, "list", _list, "List the keys under any API path (LIST /v1/PATH).")
    p.add_argument("path", metavar="PATH")
    p = add_command(sub, "delete", _delete, "Delete data at any API path (DELETE /v1/PATH).", output=False)
    p.add_argument("path", metavar="PATH")
