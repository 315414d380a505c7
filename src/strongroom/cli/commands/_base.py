"""What every client command shares: Vault-style flags, building the client, and turning failures into
the exit codes of the Vault CLI (0 success, 1 usage error, 2 server or connection error).

Flags take one dash as in Vault (`-format=json`); two dashes work too.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TypeAlias

from strongroom.client import ApiError, Client, ClientConfig, ConnectionFailed, UsageError

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_ERROR = 2

Handler = Callable[[argparse.Namespace], int]
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

ENV_HELP = """\
environment:
  STRONGROOM_ADDR         server address (default https://127.0.0.1:8200); VAULT_ADDR and BAO_ADDR also work
  STRONGROOM_TOKEN        token; falls back to VAULT_TOKEN, BAO_TOKEN, then ~/.strongroom-token
  STRONGROOM_CACERT       CA bundle to verify the server's certificate
  STRONGROOM_SKIP_VERIFY  set to true to skip TLS verification (insecure)
  STRONGROOM_NAMESPACE    namespace sent as X-Vault-Namespace
"""


class CliUsageError(Exception):
    """Bad arguments discovered after parsing (exit 1)."""


def _flag(name: str) -> tuple[str, str]:
    return (f"-{name}", f"--{name}")


def connection_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    group = parent.add_argument_group("connection")
    group.add_argument(*_flag("address"), dest="address", metavar="ADDR", help="server address (STRONGROOM_ADDR)")
    group.add_argument(*_flag("ca-cert"), dest="ca_cert", metavar="FILE", help="CA bundle (STRONGROOM_CACERT)")
    group.add_argument(
        *_flag("tls-skip-verify"),
        dest="tls_skip_verify",
        action="store_true",
        default=None,
        help="do not verify the server's TLS certificate (insecure)",
    )
    group.add_argument(*_flag("namespace"), dest="namespace", metavar="NS", help="namespace (STRONGROOM_NAMESPACE)")
    return parent


def output_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    group = parent.add_argument_group("output")
    group.add_argument(
        *_flag("format"),
        dest="format",
        choices=("table", "json", "yaml"),
        default="table",
        help="output format (default table)",
    )
    group.add_argument(*_flag("field"), dest="field", metavar="NAME", help="print only this field, raw")
    return parent


def add_command(
    sub: SubParsers,
    name: str,
    handler: Handler,
    summary: str,
    description: str = "",
    output: bool = True,
    connect: bool = True,
) -> argparse.ArgumentParser:
    """Add a leaf command whose handler gets the standard error handling."""
    parents = ([connection_flags()] if connect else []) + ([output_flags()] if output else [])
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\n{description}".rstrip(),
        epilog=ENV_HELP if connect else None,
        parents=parents,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.set_defaults(handler=guarded(handler))
    return parser


def add_group(sub: SubParsers, name: str, summary: str, description: str = "") -> SubParsers:
    """Add a command group (`strongroom kv ...`); run alone it prints its help and exits 1."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\n{description}".rstrip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )

    def show_help(_: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    parser.set_defaults(handler=show_help)
    children: SubParsers = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    return children


def make_client(args: argparse.Namespace) -> Client:
    """The client for this invocation: flags first, then the environment and the token file."""
    config = ClientConfig.from_env()
    verify: bool | str = config.verify
    if getattr(args, "ca_cert", None):
        verify = args.ca_cert
    if getattr(args, "tls_skip_verify", None):
        verify = False
    return Client(
        getattr(args, "address", None) or config.address,
        config.token,
        getattr(args, "namespace", None) or config.namespace,
        verify,
    )


def error(message: str) -> None:
    print(message, file=sys.stderr)


def _api_hint(exc: ApiError) -> str:
    if exc.status == 403:
        return "Check the token (STRONGROOM_TOKEN, or run `strongroom login`) and that its policies allow this path."
    if exc.status == 503:
        return "The server is sealed or unavailable: check `strongroom status`, then `strongroom operator unseal`."
    return ""


def _connection_hint(exc: ConnectionFailed) -> str:
    hint = "Is the server running? Set STRONGROOM_ADDR (or -address) to its address, e.g. http://127.0.0.1:8200."
    if "SSL" in exc.reason or "ssl" in exc.reason:
        hint += (
            "\nTLS failed: use an http:// address for a plain-HTTP server, or -ca-cert / STRONGROOM_CACERT"
            " for a private CA."
        )
    return hint


def guarded(handler: Handler) -> Handler:
    """Map failures to exit codes and readable messages; never print a traceback for expected errors."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CliUsageError as exc:
            error(f"Error: {exc}\nRun with -h for usage.")
            return EXIT_USAGE
        except ApiError as exc:
            hint = _api_hint(exc)
            error(f"Error: {exc}" + (f"\n\n{hint}" if hint else ""))
            return EXIT_ERROR
        except ConnectionFailed as exc:
            error(f"Error: {exc}\n\n{_connection_hint(exc)}")
            return EXIT_ERROR
        except UsageError as exc:
            error(f"Error: {exc}")
            return EXIT_ERROR
        except OSError as exc:
            error(f"Error: {exc}")
            return EXIT_ERROR

    return run
