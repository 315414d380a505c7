"""`strongroom token create|lookup|renew|revoke|capabilities`."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import (
    EXIT_OK,
    CliUsageError,
    SubParsers,
    add_command,
    add_group,
    make_client,
)
from strongroom.cli.commands._output import dump, print_secret


def _create(args: argparse.Namespace) -> int:
    meta = {k: str(v) for k, v in parse_kv_args(args.metadata).items()}
    with make_client(args) as client:
        secret = client.token.create(
            policies=args.policy or None,
            ttl=args.ttl,
            explicit_max_ttl=args.explicit_max_ttl,
            period=args.period,
            num_uses=args.use_limit,
            renewable=args.renewable,
            display_name=args.display_name,
            meta=meta or None,
            no_default_policy=args.no_default_policy,
            orphan=args.orphan,
            role=args.role,
            type=args.type,
        )
    return print_secret(args, secret)


def _lookup(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        if args.accessor:
            if not args.token:
                raise CliUsageError("-accessor needs the accessor as argument")
            secret = client.token.lookup_accessor(args.token)
        elif args.token:
            secret = client.token.lookup(args.token)
        else:
            secret = client.token.lookup_self()
    return print_secret(args, secret)


def _renew(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        if args.token:
            secret = client.token.renew(args.token, args.increment)
        else:
            secret = client.token.renew_self(args.increment)
    return print_secret(args, secret)


def _revoke(args: argparse.Namespace) -> int:
    if args.self_ == bool(args.token):
        raise CliUsageError("give exactly one of TOKEN (or an accessor with -accessor) and -self")
    with make_client(args) as client:
        if args.self_:
            client.token.revoke_self()
        elif args.accessor:
            client.token.revoke_accessor(args.token)
        elif args.mode == "orphan":
            client.token.revoke_orphan(args.token)
        else:
            client.token.revoke(args.token)
    print("Success! Revoked token (if it existed)")
    return EXIT_OK


def _capabilities(args: argparse.Namespace) -> int:
    token, path = (None, args.args[0]) if len(args.args) == 1 else (args.args[0], args.args[1])
    with make_client(args) as client:
        caps = client.token.capabilities([path], token=token)[path]
    if args.format != "table":
        dump(args, caps)
    else:
        print(", ".join(sorted(caps)))
    return EXIT_OK


def _create_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("-policy", "--policy", action="append", default=[], help="policy to attach; repeatable")
    p.add_argument("-ttl", "--ttl", default=None, help="initial TTL, e.g. 1h")
    p.add_argument("-explicit-max-ttl", "--explicit-max-ttl", dest="explicit_max_ttl", default=None)
    p.add_argument("-period", "--period", default=None, help="make a periodic token renewable forever by PERIOD")
    p.add_argument("-use-limit", "--use-limit", dest="use_limit", type=int, default=None, help="number of uses")
    p.add_argument(
        "-renewable", "--renewable", default=None, type=lambda s: s.lower() in ("1", "true", "yes"), metavar="BOOL"
    )
    p.add_argument("-display-name", "--display-name", dest="display_name", default=None)
    p.add_argument("-metadata", "--metadata", action="append", default=[], metavar="K=V", help="repeatable")
    p.add_argument("-orphan", "--orphan", action="store_true", help="create without a parent")
    p.add_argument("-role", "--role", default=None, help="create against this token role")
    p.add_argument("-type", "--type", default=None, choices=("service", "batch"))
    p.add_argument("-no-default-policy", "--no-default-policy", dest="no_default_policy", action="store_true")


def register(sub: SubParsers) -> None:
    group = add_group(sub, "token", "Create, inspect, renew and revoke tokens.")
    p = add_command(
        group,
        "create",
        _create,
        "Create a child token (or -orphan) of the current token.",
        "example:\n  strongroom token create -policy=dev -ttl=1h -field=token",
    )
    _create_flags(p)
    p = add_command(group, "lookup", _lookup, "Show a token's properties (the current token when none is given).")
    p.add_argument("token", nargs="?", metavar="TOKEN")
    p.add_argument("-accessor", "--accessor", action="store_true", help="TOKEN is an accessor")
    p = add_command(group, "renew", _renew, "Renew a token's lease (the current token when none is given).")
    p.add_argument("token", nargs="?", metavar="TOKEN")
    p.add_argument("-increment", "--increment", default=None, help="requested TTL, e.g. 1h")
    p = add_command(group, "revoke", _revoke, "Revoke a token and all of its children.", output=False)
    p.add_argument("token", nargs="?", metavar="TOKEN")
    p.add_argument("-self", "--self", dest="self_", action="store_true", help="revoke the current token")
    p.add_argument("-accessor", "--accessor", action="store_true", help="TOKEN is an accessor")
    p.add_argument(
        "-mode", "--mode", choices=("orphan",), default=None, help="orphan: revoke only TOKEN; its children stay"
    )
    p = add_command(
        group,
        "capabilities",
        _capabilities,
        "Show a token's capabilities on a path.",
        "usage: strongroom token capabilities [TOKEN] PATH  (the current token when TOKEN is omitted)",
    )
    p.add_argument("args", nargs="+", metavar="[TOKEN] PATH")
