"""`strongroom login`: authenticate and store the token in ~/.strongroom-token (mode 0600)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from strongroom.cli.commands._args import parse_kv_args
from strongroom.cli.commands._base import EXIT_OK, CliUsageError, SubParsers, add_command, error, make_client
from strongroom.cli.commands._oidc import oidc_login, oidc_options
from strongroom.cli.commands._output import auth_rows, dump, kv_table, print_field, print_warnings
from strongroom.client import Client, Secret, write_token_file
from strongroom.client.config import env_setting

METHODS = ("token", "userpass", "approle", "jwt", "oidc", "github")

DESCRIPTION = """\
examples:
  strongroom login                                   # prompts for a token
  strongroom login s.XXXX
  strongroom login -method=userpass username=alice   # prompts for the password
  strongroom login -method=approle role_id=... secret_id=...
  strongroom login -method=jwt role=ci jwt=@/var/run/secrets/token   # jwt=- reads the JWT from stdin
  strongroom login -method=github                    # token= or STRONGROOM_AUTH_GITHUB_TOKEN, else prompts
  strongroom login -method=oidc role=people          # opens a browser; see below

-method=oidc runs the authorization-code flow: it asks the server for a provider URL whose redirect_uri is
http://CALLBACKHOST:PORT/oidc/callback, opens it in a browser (python's webbrowser: set BROWSER to choose
one) and prints it, then waits up to 2 minutes on a loopback listener for the provider to send the browser
back. Its K=V options (as in Vault's CLI):
  role=NAME               OIDC role (default: the mount's default_role)
  listenaddress=ADDR      address the callback listener binds (default localhost)
  port=N                  port it listens on (default 8250)
  callbackhost=HOST       host in the redirect_uri (default localhost)
  callbackmethod=SCHEME   scheme in the redirect_uri (default http)
  callbackport=N          port in the redirect_uri (default: port)
  skip_browser=true       only print the URL; open it yourself (on this machine)
  abort_on_error=true     fail when the browser cannot be started
The role's allowed_redirect_uris must contain that redirect_uri (any port on a loopback host).

The new token (a given token is looked up first) is written to ~/.strongroom-token (mode 0600) unless
-no-store is given.
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


def _mount(args: argparse.Namespace, params: dict[str, Any], default: str) -> str:
    """`mount=` (as in Vault's method handlers) wins over -path; then the method's usual mount path."""
    return str(params.get("mount") or args.path or default).strip("/")


def _login_jwt(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    jwt = str(params.get("jwt") or "").strip()
    if not jwt:
        raise CliUsageError("jwt login needs jwt=TOKEN (jwt=@FILE reads a file, jwt=- standard input)")
    role = params.get("role")
    return client.auth.jwt.login(jwt, None if role is None else str(role), mount=_mount(args, params, "jwt"))


def _login_github(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    """token=... (token=- reads standard input), else STRONGROOM_/VAULT_/BAO_AUTH_GITHUB_TOKEN, else a prompt."""
    given = params.get("token")
    token = str(given if given is not None else env_setting("AUTH_GITHUB_TOKEN") or "").strip()
    how = "pass token=... (token=- reads standard input) or set STRONGROOM_AUTH_GITHUB_TOKEN"
    if not token and given is None:
        try:
            token = getpass.getpass("GitHub Personal Access Token (will be hidden): ").strip()
        except EOFError:
            raise CliUsageError(f"no terminal to ask for the GitHub token on: {how}") from None
    if not token:
        raise CliUsageError(f"github login needs a personal access token: {how}")
    return client.auth.github.login(token, mount=_mount(args, params, "github"))


def _login_oidc(client: Client, args: argparse.Namespace, params: dict[str, Any]) -> Secret:
    options = oidc_options({k: str(v) for k, v in params.items()}, _mount(args, params, "oidc"))
    return oidc_login(client, options)


LOGINS: dict[str, Callable[[Client, argparse.Namespace, dict[str, Any]], Secret]] = {
    "token": _login_token,
    "userpass": _login_userpass,
    "approle": _login_approle,
    "jwt": _login_jwt,
    "github": _login_github,
    "oidc": _login_oidc,
}


def _login(args: argparse.Namespace) -> int:
    if args.method not in METHODS:
        raise CliUsageError(f"unknown -method {args.method!r}; choose one of {', '.join(METHODS)}")
    if args.method != "token" and args.token:
        params = parse_kv_args([args.token, *args.params])
    else:
        params = parse_kv_args(args.params)
    login = LOGINS[args.method]
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
    p = add_command(sub, "login", _login, "Sign in: token, userpass, approle, jwt, oidc (browser) or github.",
                    DESCRIPTION)
    p.add_argument("token", nargs="?", metavar="TOKEN", help="token for -method=token; '-' reads it from stdin")
    p.add_argument("params", nargs="*", metavar="K=V", help="method parameters, e.g. username=alice")
    p.add_argument("-method", "--method", default="token",
                   help="auth method: token (default), userpass, approle, jwt, oidc, github")
    p.add_argument("-path", "--path", default=None, help="mount path of the auth method (default: the method name)")
    p.add_argument("-no-store", "--no-store", dest="no_store", action="store_true", help="do not write the token file")
    p.add_argument("-token-only", "--token-only", dest="token_only", action="store_true", help="print only the token")
