"""`strongroom operator`: initialise, unseal, seal, and rotate the barrier key."""

from __future__ import annotations

import argparse
import getpass

from strongroom.cli.commands._base import (
    EXIT_ERROR,
    EXIT_OK,
    CliUsageError,
    SubParsers,
    add_command,
    add_group,
    make_client,
)
from strongroom.cli.commands._output import dump, kv_table, print_field
from strongroom.cli.commands.status import seal_rows


def _init(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        if args.status:
            initialized = client.sys.is_initialized()
            print("Strongroom is initialized" if initialized else "Strongroom is not initialized")
            return EXIT_OK if initialized else EXIT_ERROR
        result = client.sys.init(args.key_shares, args.key_threshold)
    if args.field:
        return print_field(result.raw, args.field)
    if args.format != "table":
        dump(args, result.raw)
        return EXIT_OK
    for number, key in enumerate(result.keys, start=1):
        print(f"Unseal Key {number}: {key}")
    print(f"\nInitial Root Token: {result.root_token}\n")
    print(
        f"Strongroom initialized with {args.key_shares} key shares and a key threshold of {args.key_threshold}.\n"
        f"Provide {args.key_threshold} of these keys to `strongroom operator unseal` whenever the server\n"
        "starts or is sealed. Store them apart from each other: without enough of them the data cannot\n"
        "be recovered."
    )
    return EXIT_OK


def _unseal(args: argparse.Namespace) -> int:
    key = args.key
    if not args.reset:
        if key is None:
            key = getpass.getpass("Unseal Key (will be hidden): ")
        if not key.strip():
            raise CliUsageError("an unseal key is required (or -reset)")
    with make_client(args) as client:
        status = client.sys.unseal(key=None if args.reset else key.strip(), reset=args.reset)
    if args.field:
        return print_field(status.raw, args.field)
    if args.format != "table":
        dump(args, status.raw)
    else:
        print(kv_table(seal_rows(status)))
    return EXIT_OK


def _seal(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.sys.seal()
    print("Success! Strongroom is sealed.")
    return EXIT_OK


def _key_status(args: argparse.Namespace, rotated: bool = False) -> int:
    with make_client(args) as client:
        if rotated:
            client.sys.rotate()
        status = client.sys.key_status()
    if args.field:
        return print_field(status.raw, args.field)
    if args.format != "table":
        dump(args, status.raw)
        return EXIT_OK
    if rotated:
        print("Success! Rotated key\n")
    print(
        kv_table(
            [("Key Term", status.term), ("Install Time", status.install_time), ("Encryption Count", status.encryptions)]
        )
    )
    return EXIT_OK


def _rotate(args: argparse.Namespace) -> int:
    return _key_status(args, rotated=True)


def register(sub: SubParsers) -> None:
    group = add_group(sub, "operator", "Operate the server: init, unseal, seal, rotate, key-status.")
    p = add_command(
        group,
        "init",
        _init,
        "Initialise a new server: create the root key, split it into unseal key shares, and issue a root token.",
        "Prints the unseal keys and the initial root token once; they cannot be shown again.",
    )
    p.add_argument("-key-shares", "--key-shares", dest="key_shares", type=int, default=5, help="number of shares")
    p.add_argument(
        "-key-threshold", "--key-threshold", dest="key_threshold", type=int, default=3, help="shares to unseal"
    )
    p.add_argument(
        "-status", "--status", action="store_true", help="only report whether the server is initialised (exit 0/2)"
    )
    p = add_command(
        group,
        "unseal",
        _unseal,
        "Submit one unseal key share.",
        "Run once per share until the threshold is reached. Without KEY the share is read without echo.",
    )
    p.add_argument("key", nargs="?", metavar="KEY", help="unseal key share (hex or base64); prompted when omitted")
    p.add_argument("-reset", "--reset", action="store_true", help="discard the shares submitted so far")
    add_command(group, "seal", _seal, "Seal the server: forget the root key until it is unsealed again.", output=False)
    add_command(group, "rotate", _rotate, "Add a new barrier encryption key (a new key term); old data stays readable.")
    add_command(group, "key-status", _key_status, "Show the active barrier key term and when it was installed.")
