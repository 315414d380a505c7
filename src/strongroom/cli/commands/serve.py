"""`strongroom server`: run the server (the one CLI command that imports strongroom.server)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from strongroom.server.config import ConfigError, ServerConfig, load
from strongroom.server.main import DevOptions, run


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "server",
        help="Run a Strongroom server.",
        description="Run a Strongroom server from a configuration file, or a development server with --dev "
        "(in memory, unsealed, printing its address and root token).",
    )
    parser.add_argument("-config", "--config", metavar="FILE", help="HCL or JSON configuration file.")
    parser.add_argument("-dev", "--dev", action="store_true", help="Start a development server.")
    parser.add_argument("-dev-listen-address", "--dev-listen-address", default="127.0.0.1:8200",
                        metavar="HOST:PORT", help="Address of the dev server (default 127.0.0.1:8200).")
    parser.add_argument("-dev-root-token-id", "--dev-root-token-id", default="", metavar="ID",
                        help="Use this value as the dev server's root token.")
    parser.add_argument("-dev-storage", "--dev-storage", choices=("inmem", "sqlite"), default="inmem",
                        help="Storage of the dev server (default inmem).")
    parser.add_argument("-dev-storage-path", "--dev-storage-path", default="", metavar="FILE",
                        help="SQLite file for --dev-storage=sqlite (default: a new temporary file).")
    parser.add_argument("-workers", "--workers", type=int, default=None, metavar="N",
                        help="Server processes sharing the listener (SQLite storage only; default: one per core, "
                        "at most 4).")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    if not args.dev and not args.config:
        print("error: give --config FILE, or --dev for a development server", file=sys.stderr)
        return 1
    try:
        config = load(args.config) if args.config else ServerConfig()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.workers is not None:
        if args.workers < 1:
            print("error: --workers must be at least 1", file=sys.stderr)
            return 1
        config = replace(config, workers=args.workers)
    dev = None
    if args.dev:
        dev = DevOptions(listen_address=args.dev_listen_address, root_token_id=args.dev_root_token_id,
                         storage=args.dev_storage, storage_path=args.dev_storage_path)
    run(config, dev=dev)
    return 0
