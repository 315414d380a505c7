"""`strongroom lease lookup|renew|revoke`, as `vault lease ...`.

Listing needs no command of its own: `strongroom list sys/leases/lookup/PREFIX`, as with Vault."""

from __future__ import annotations

import argparse

from strongroom.cli.commands._base import (
    EXIT_OK,
    CliUsageError,
    SubParsers,
    add_command,
    add_group,
    error,
    make_client,
)
from strongroom.cli.commands._output import print_secret

GROUP_HELP = """\
Every secret with a lease has a lease id: `<mount>/<path>/<random>` (a token's lease: auth/token/create/<hash>,
a login's: auth/<mount>/login/.../<hash>). For leases of tokens, `strongroom token renew|revoke` also work.

examples:
  strongroom list sys/leases/lookup/auth/token/create/     # lease ids under a prefix (needs sudo)
  strongroom lease lookup auth/token/create/h0940fc8b...
  strongroom lease renew -increment=1h database/creds/ro/2f6a614c...
  strongroom lease revoke -prefix database/creds/ro"""

REVOKE_HELP = """\
Without -sync the server queues the revocation and keeps retrying on failure (also across restarts); with
-sync the command waits, and a failure is reported here (exit 2) for you to retry. -force always waits.

examples:
  strongroom lease revoke database/creds/readonly/2f6a614c...
  strongroom lease revoke -prefix aws/creds/deploy              # every lease under the prefix (sudo)
  strongroom lease revoke -force -prefix consul/creds           # drop the leases even if revocation fails"""


def _lease_id(raw: str) -> str:
    lease_id = raw.strip()
    if not lease_id:
        raise CliUsageError("missing lease id: give the full lease id, e.g. auth/token/create/h0940fc8b...")
    return lease_id


def _lookup(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        secret = client.sys.leases.lookup(_lease_id(args.lease_id))
    return print_secret(args, secret)


def _renew(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        secret = client.sys.leases.renew(_lease_id(args.lease_id), args.increment)
    return print_secret(args, secret)


def _revoke(args: argparse.Namespace) -> int:
    lease_id = _lease_id(args.lease_id)
    if args.force and not args.prefix:
        raise CliUsageError("-force also needs -prefix (it removes every lease under a prefix)")
    with make_client(args) as client:
        if args.force:
            error("Warning! Force-removing leases can cause Strongroom to become out of sync with secrets engines!")
            client.sys.leases.revoke_force(lease_id)
            print(f"Success! Force revoked any leases with prefix: {lease_id}")
            return EXIT_OK
        if args.prefix:
            client.sys.leases.revoke_prefix(lease_id, sync=args.sync)
        else:
            client.sys.leases.revoke(lease_id, sync=args.sync)
    if not args.sync:
        print("All revocation operations queued successfully!")
    elif args.prefix:
        print(f"Success! Revoked any leases with prefix: {lease_id}")
    else:
        print(f"Success! Revoked lease: {lease_id}")
    return EXIT_OK


def register(sub: SubParsers) -> None:
    group = add_group(sub, "lease", "Look up, renew and revoke the leases of secrets and logins.", GROUP_HELP)
    p = add_command(group, "lookup", _lookup, "Show a lease: issue and expire time, TTL, renewable.",
                    "example:\n  strongroom lease lookup -format=json auth/token/create/h0940fc8b...")
    p.add_argument("lease_id", metavar="ID", help="the full lease id")
    p = add_command(group, "renew", _renew, "Renew a lease, extending the time before it is revoked.",
                    "The server may grant less than asked (never past the lease's max TTL; it then warns).\n\n"
                    "example:\n  strongroom lease renew -increment=1h database/creds/ro/2f6a614c...")
    p.add_argument("lease_id", metavar="ID", help="the full lease id")
    p.add_argument("-increment", "--increment", default=None, metavar="DURATION",
                   help="requested TTL from now, e.g. 90s, 1h (default: the lease's own TTL)")
    p = add_command(group, "revoke", _revoke, "Revoke a lease (or every lease under a prefix).", REVOKE_HELP,
                    output=False)
    p.add_argument("lease_id", metavar="ID", help="the lease id, or with -prefix a lease id prefix")
    p.add_argument("-prefix", "--prefix", action="store_true", help="treat ID as a prefix (needs sudo)")
    p.add_argument("-force", "--force", "-f", action="store_true",
                   help="remove the leases even if the engine cannot revoke the secrets (needs -prefix; recovery)")
    p.add_argument("-sync", "--sync", action="store_true", help="wait for the revocation instead of queuing it")
