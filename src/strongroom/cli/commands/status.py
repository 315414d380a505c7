"""`strongroom status`: seal state and HA mode of the server."""

from __future__ import annotations

import argparse
from typing import Any

from strongroom.cli.commands._base import EXIT_ERROR, EXIT_OK, SubParsers, add_command, make_client
from strongroom.cli.commands._output import dump, kv_table, print_field
from strongroom.client import SealStatus


def seal_rows(status: SealStatus) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("Seal Type", status.type),
        ("Initialized", status.initialized),
        ("Sealed", status.sealed),
        ("Total Shares", status.n),
        ("Threshold", status.t),
    ]
    if status.sealed:
        rows += [("Unseal Progress", f"{status.progress}/{status.t}"), ("Unseal Nonce", status.nonce or "n/a")]
    rows += [("Version", status.version), ("Storage Type", status.storage_type)]
    if status.cluster_name:
        rows += [("Cluster Name", status.cluster_name), ("Cluster ID", status.cluster_id)]
    return rows


def _status(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        status = client.sys.seal_status()
        leader = {} if status.sealed else client.sys.leader()
    ha_enabled = leader.get("ha_enabled") is True
    combined = {**status.raw, "ha_enabled": ha_enabled}
    code = EXIT_ERROR if status.sealed else EXIT_OK
    if args.field:
        return print_field(combined, args.field) or code
    if args.format != "table":
        dump(args, combined)
        return code
    print(kv_table([*seal_rows(status), ("HA Enabled", ha_enabled)]))
    return code


def register(sub: SubParsers) -> None:
    add_command(
        sub,
        "status",
        _status,
        "Print the seal and HA status of the server.",
        "Exit code 0 when unsealed, 2 when sealed or unreachable (as `vault status`).",
    )
