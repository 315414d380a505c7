"""`strongroom write`: write any API path, as `vault write`."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_OK, CliUsageError, SubParsers, add_command, make_client
from strongroom.cli.commands._output import dump, print_secret

DATA_HELP = """\
DATA is key=value pairs; key=@FILE reads the value from a file, key=- from stdin, and a lone - reads
the whole body as a JSON object from stdin. A key given twice becomes a list. Examples:
  strongroom write kv1/app user=alice password=@pw.txt
  echo '{"policies": ["dev"]}' | strongroom write auth/token/create -"""


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


def register(sub: SubParsers) -> None:
    p = add_command(sub, "write", _write, "Write data to any API path (PUT /v1/PATH).", DATA_HELP)
    p.add_argument("path", metavar="PATH")
    p.add_argument("data", nargs="*", metavar="DATA")
    p.add_argument("-force", "--force", "-f", action="store_true", help="allow an empty body (sends null)")
