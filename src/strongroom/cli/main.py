"""Entry point of the `strongroom` command.

Every command group lives in `strongroom.cli.commands.<name>` and exposes
`register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None`; the parser it adds
sets `handler` (a callable taking the parsed namespace and returning an exit code) with `set_defaults`.
Exit codes follow the Vault CLI: 0 success, 1 usage error, 2 server or runtime error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# The catalogue of command groups, one line each; imported lazily so `strongroom scan` starts fast: when the
# first argument names a module here that registers a command of the same name, only that module is imported.
COMMANDS: tuple[str, ...] = (
    "serve",
    "scan",
    "status",
    "operator",
    "login",
    "kv",
    "read",
    "write",
    "list",
    "delete",
    "secrets",
    "auth",
    "policy",
    "token",
    "lease",
    "audit",
)

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_ERROR = 2


# Command modules that failed to import, with the reason: one broken command must not take the CLI down,
# but the failure is reported whenever parsing fails (e.g. when that command is asked for).
_UNAVAILABLE: dict[str, str] = {}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors; the Vault CLI convention is 1."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        notes = ""
        if "invalid choice" in message:
            notes = "".join(f"note: command module {n!r} failed to load: {r}\n" for n, r in _UNAVAILABLE.items())
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n{notes}")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # Report unknown flags from the command that received them, so the usage shown is that command's.
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self._subparsers is None:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def _load(sub: argparse._SubParsersAction[_Parser], name: str) -> None:
    try:
        module = importlib.import_module(f"strongroom.cli.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"strongroom.cli.commands.{name}":
            _UNAVAILABLE[name] = f"{type(exc).__name__}: {exc}"
        return
    except Exception as exc:
        _UNAVAILABLE[name] = f"{type(exc).__name__}: {exc}"
        return
    module.register(sub)


def _new_parser() -> tuple[_Parser, argparse._SubParsersAction[_Parser]]:
    parser = _Parser(
        prog="strongroom",
        description="Strongroom: a Vault-compatible secrets server, KMS, agent and git leak scanner.",
    )
    return parser, parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or only for `command` when the module of that name registers it."""
    if command in COMMANDS:
        parser, sub = _new_parser()
        _load(sub, command)
        if command in sub.choices:
            return parser
    parser, sub = _new_parser()
    for name in COMMANDS:
        _load(sub, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
