"""`strongroom login`: authenticate and store the token in ~/.strongroom-token (mode 0600)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_OK, CliUsageError, SubParsers, add_command, error, make_client
from strongroom.cli.commands._output import auth_rows, dump, kv_table, print_field, print_warnings
from strongroom.client import Client, Secret, write_token_file
from strongroom.client.config import env_setting

METHODS = ("token", "userpass", "approle")

DESCRIPTION = """\
examples:
  strongroom login                                   # prompts for a token
  strongroom login s.XXXX
  strongroom login -method=userpass username=alice   # prompts for the password
  strongroom login -method=approle role_id=... secret_id=...

The token is verified, then written to ~/.strongroom-token (mode 0600) unless -no-store is given.
STRONGROOM_TOKEN, VAULT_TOKEN or BAO_TOKEN, when set, take precedence over the stored token."""


def _login_token(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    token = args.token or params.get("token")
    if token == "-":
        token = sys.stdin.readline()
    if not token:
        token = getpass.getpass("Token (will be hidden): ")
    token = str(token).strip()
    if not token:
        raise CliUsageError("a token is required")
    client.set_token(token)
    looked_up = client.token.lookup_self()
    data = looked_up.data or {}
    auth = {
        "client_token": token,
        "accessor": data.get("accessor", ""),
        "policies": data.get("policies") or [],
        "token_policies": data.get("policies") or [],
        "identity_policies": data.get("identity_policies") or [],
        "metadata": data.get("meta") or {},
        "lease_duration": data.get("ttl") or 0,
        "renewable": data.get("renewable") is True,
    }
    return Secret.from_json({**looked_up.raw, "data": None, "auth": auth})


def _login_userpass(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    username = params.get("username")
    if not username:
        raise CliUsageError("userpass login needs username=NAME")
    password = params.get("password") or getpass.getpass("Password (will be hidden): ")
    return client.auth.userpass.login(str(username), str(password), mount=args.path or "userpass")


def _login_approle(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    role_id = params.get("role_id")
    if not role_id:
        raise CliUsageError("approle login needs role_id=ID (and secret_id=ID unless the role binds none)")
    secret_id = params.get("secret_id")
    return client.auth.approle.login(
        str(role_id), None if secret_id is None else str(secret_id), mount=args.path or "approle"
    )


def _login(args: argparse.Namespace) -> int:
    if args.method not in METHODS:
        raise CliUsageError(f"unknown -method {args.method!r}; choose one of {', '.join(METHODS)}")
    if args.method != "token" and args.token:
        params = parse_kv_args([args.token, *args.params])
    else:
        params = parse_kv_args(args.params)
    login = {"token": _login_token, "userpass": _login_userpass, "approle": _login_approle}[args.method]
    with make_client(args) as client:
        secret = login(client, args, params)
    assert secret.auth is not None  # every login path returns an auth block or raises
    if not args.no_store:
        path = write_token_file(secret.auth.client_token)
        if env_setting("TOKEN") is not None:
            error(
                f"WARNING! A token variable (STRONGROOM_TOKEN, VAULT_TOKEN or BAO_TOKEN) is set: it takes\n"
                f"precedence over the token just stored in {path}. Unset it to use the new token.\n"
            )
    return _print_login(args, secret)


def _print_login(args: argparse.Namespace, secret: Secret) -> int:
    rows = auth_rows(secret)
    if args.token_only:
        print(dict(rows)["token"])
        return EXIT_OK
    if args.field:
        return print_field(dict(rows), args.field)
    if args.format != "table":
        dump(args, secret.raw)
        return EXIT_OK
    print_warnings(secret.warnings)
    if not args.no_store:
        print(
            "Success! You are now authenticated. The token information displayed below is already\n"
            "stored in ~/.strongroom-token. You do NOT need to run `strongroom login` again.\n"
        )
    print(kv_table(rows))
    return EXIT_OK


def register(sub: SubParsers) -> None:
    p = add_command(sub, "login", _login, "Authenticate with a token, a username/password or an AppRole.", DESCRIPTION)
    p.add_argument("token", nargs="?", metavar="TOKEN", help="token for -method=token; '-' reads it from stdin")
    p.add_argument("params", nargs="*", metavar="K=V", help="method parameters, e.g. username=alice")
    p.add_argument("-method", "--method", default="token", help="auth method: token (default), userpass, approle")
    p.add_argument("-path", "--path", default=None, help="mount path of the auth method (default: the method name)")
    p.add_argument("-no-store", "--no-store", dest="no_store", action="store_true", help="do not write the token file")
    p.add_argument("-token-only", "--token-only", dest="token_only", action="store_true", help="print only the token")
