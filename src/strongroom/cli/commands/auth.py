"""`strongroom auth enable|disable|list`: manage auth method mounts."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._base import EXIT_OK, SubParsers, add_command, add_group, make_client
from strongroom.cli.commands.secrets import add_ttl_flags, mount_config, print_mounts


def _enable(args: argparse.Namespace) -> int:
    path = (args.path or args.type).strip("/")
    with make_client(args) as client:
        client.sys.enable_auth(path, args.type, args.description, mount_config(args), args.local)
    print(f"Success! Enabled {args.type} auth method at: {path}/")
    return EXIT_OK


def _disable(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.sys.disable_auth(args.path)
    print(f"Success! Disabled the auth method (if it existed) at: {args.path.strip('/')}/")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        return print_mounts(args, client.sys.auth_methods())


def register(sub: SubParsers) -> None:
    group = add_group(sub, "auth", "Enable, disable and list auth methods.", "To log in, use `strongroom login`.")
    p = add_command(
        group, "enable", _enable, "Enable an auth method.", "example:\n  strongroom auth enable userpass", output=False
    )
    p.add_argument("type", metavar="TYPE", help="method type, e.g. userpass, approle")
    p.add_argument("-path", "--path", default=None, help="mount path under auth/ (default: the type)")
    p.add_argument("-description", "--description", default="")
    p.add_argument("-local", "--local", action="store_true")
    add_ttl_flags(p)
    p = add_command(
        group, "disable", _disable, "Disable an auth method; every token it issued is revoked.", output=False
    )
    p.add_argument("path", metavar="PATH")
    p = add_command(group, "list", _list, "List the enabled auth methods.")
    p.add_argument("-detailed", "--detailed", action="store_true", help="also show TTLs and options")
