"""`strongroom secrets enable|disable|list|tune`: manage secrets engine mounts."""

from __future__ import annotations

import argparse
from typing import Any

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_OK, SubParsers, add_command, add_group, make_client
from strongroom.cli.commands._output import columns, dump, go_duration, print_field
from strongroom.client import Mount


def mount_config(args: argparse.Namespace) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for key in ("default_lease_ttl", "max_lease_ttl", "listing_visibility"):
        value = getattr(args, key, None)
        if value is not None:
            config[key] = value
    return config


def print_mounts(args: argparse.Namespace, mounts: dict[str, Mount]) -> int:
    if args.field:
        return print_field({p: m.raw for p, m in mounts.items()}, args.field)
    if args.format != "table":
        dump(args, {p: m.raw for p, m in mounts.items()})
        return EXIT_OK
    headers: tuple[str, ...] = ("Path", "Type", "Accessor", "Description")
    if args.detailed:
        headers += ("Default TTL", "Max TTL", "Options")
    rows = []
    for path, mount in sorted(mounts.items()):
        row = [path, mount.type, mount.accessor, mount.description or "n/a"]
        if args.detailed:
            row += [_ttl(mount.config.get("default_lease_ttl")), _ttl(mount.config.get("max_lease_ttl"))]
            row.append(" ".join(f"{k}={v}" for k, v in sorted(mount.options.items())) or "n/a")
        rows.append(row)
    print(columns(headers, rows))
    return EXIT_OK


def _ttl(value: object) -> str:
    return "system" if not value else go_duration(value) if isinstance(value, int) else str(value)


def _enable(args: argparse.Namespace) -> int:
    path = (args.path or args.type).strip("/")
    options = {k: str(v) for k, v in parse_kv_args(args.options).items()}
    if args.version is not None:
        options["version"] = str(args.version)
    with make_client(args) as client:
        client.sys.enable_secrets(
            path, args.type, args.description, options or None, mount_config(args), args.local, args.seal_wrap
        )
    print(f"Success! Enabled the {args.type} secrets engine at: {path}/")
    return EXIT_OK


def _disable(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        client.sys.disable_secrets(args.path)
    print(f"Success! Disabled the secrets engine (if it existed) at: {args.path.strip('/')}/")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        return print_mounts(args, client.sys.mounts())


def _tune(args: argparse.Namespace) -> int:
    config = mount_config(args)
    if args.description is not None:
        config["description"] = args.description
    options = {k: str(v) for k, v in parse_kv_args(args.options).items()}
    if args.version is not None:
        options["version"] = str(args.version)
    if options:
        config["options"] = options
    with make_client(args) as client:
        client.sys.tune(args.path, **config)
    print(f"Success! Tuned the secrets engine at: {args.path.strip('/')}/")
    return EXIT_OK


def add_ttl_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("-default-lease-ttl", "--default-lease-ttl", dest="default_lease_ttl", default=None)
    p.add_argument("-max-lease-ttl", "--max-lease-ttl", dest="max_lease_ttl", default=None)
    p.add_argument(
        "-listing-visibility",
        "--listing-visibility",
        dest="listing_visibility",
        default=None,
        choices=("unauth", "hidden"),
        help="show the mount in unauthenticated listings",
    )


def register(sub: SubParsers) -> None:
    group = add_group(sub, "secrets", "Enable, disable, list and tune secrets engines.")
    p = add_command(
        group,
        "enable",
        _enable,
        "Mount a secrets engine.",
        "example:\n  strongroom secrets enable -path=kv1 -version=1 kv",
        output=False,
    )
    p.add_argument("type", metavar="TYPE", help="engine type, e.g. kv, kv-v2, transit, totp, pki")
    p.add_argument("-path", "--path", default=None, help="mount path (default: the type)")
    p.add_argument("-description", "--description", default="")
    p.add_argument("-version", "--version", type=int, default=None, help="KV version (1 or 2)")
    p.add_argument("-options", "--options", action="append", default=[], metavar="K=V", help="engine option")
    p.add_argument("-local", "--local", action="store_true", help="do not replicate the mount")
    p.add_argument("-seal-wrap", "--seal-wrap", dest="seal_wrap", action="store_true")
    add_ttl_flags(p)
    p = add_command(group, "disable", _disable, "Unmount a secrets engine and delete all of its data.", output=False)
    p.add_argument("path", metavar="PATH")
    p = add_command(group, "list", _list, "List the mounted secrets engines.")
    p.add_argument("-detailed", "--detailed", action="store_true", help="also show TTLs and options")
    p = add_command(group, "tune", _tune, "Change a mount's TTLs, description or options.", output=False)
    p.add_argument("path", metavar="PATH")
    p.add_argument("-description", "--description", default=None)
    p.add_argument("-version", "--version", type=int, default=None, help="upgrade a KV mount to version 2")
    p.add_argument("-options", "--options", action="append", default=[], metavar="K=V", help="engine option")
    add_ttl_flags(p)
