"""`strongroom login -method=oidc`: the browser side of the OIDC authorization-code flow, as Vault's CLI runs it.

1. Bind the loopback callback listener first (a port already taken fails here, before the server keeps any
   state), then ask the server for `auth/<mount>/oidc/auth_url` with redirect_uri
   `<callbackmethod>://<callbackhost>:<callbackport>/oidc/callback` and a random client nonce.
2. Print the URL and open it with python's `webbrowser` (BROWSER chooses the program), unless skip_browser.
3. The provider sends the browser back to the listener (GET, or POST for response_mode=form_post); its state
   and code go to `auth/<mount>/oidc/callback` with the client nonce, so a callback replayed by anyone who lacks
   the nonce is refused by the server. The browser gets a page saying how it went; the first callback ends
   the wait, whatever its outcome.
"""

from __future__ import annotations

import errno
import html
import secrets
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from urllib.parse import parse_qs, urlsplit

from strongroom.cli.commands._base import CliUsageError
from strongroom.client import ApiError, Client, ClientError, Secret

CALLBACK_PATH = "/oidc/callback"
WAIT_SECONDS = 120.0
BROWSER_START_SECONDS = 5.0
MAX_FORM_BYTES = 64 * 1024
_KEYS = frozenset({"role", "mount", "listenaddress", "port", "callbackhost", "callbackmethod", "callbackport",
                   "callbackmode", "skip_browser", "abort_on_error"})
_TRUE, _FALSE = frozenset({"1", "t", "true", "yes", "y", "on"}), frozenset({"0", "f", "false", "no", "n", "off"})


@dataclass(frozen=True)
class OidcOptions:
    mount: str
    role: str | None
    listen_address: str
    port: int
    callback_host: str
    callback_method: str
    callback_port: int
    skip_browser: bool
    abort_on_error: bool

    @property
    def redirect_uri(self) -> str:
        host = f"[{self.callback_host}]" if ":" in self.callback_host else self.callback_host
        return f"{self.callback_method}://{host}:{self.callback_port}{CALLBACK_PATH}"


def _port(value: str, key: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise CliUsageError(f"{key}={value!r} is not a port number (1-65535)")
    return int(value)


def _flag(params: Mapping[str, str], key: str) -> bool:
    value = params.get(key, "false").strip().lower()
    if value not in _TRUE | _FALSE:
        raise CliUsageError(f"{key}={value!r} is not a boolean (true or false)")
    return value in _TRUE


def oidc_options(params: Mapping[str, str], mount: str) -> OidcOptions:
    """Vault's K=V configuration of `login -method=oidc`, checked; only the `client` callback mode exists."""
    unknown = sorted(set(params) - _KEYS)
    if unknown:
        raise CliUsageError(f"unknown option {unknown[0]!r} for -method=oidc; known: {', '.join(sorted(_KEYS))}")
    if params.get("callbackmode", "client") != "client":
        raise CliUsageError("only callbackmode=client is supported (a loopback listener on this machine)")
    port = _port(params.get("port", "8250"), "port")
    method = params.get("callbackmethod", "http")
    if method not in ("http", "https"):
        raise CliUsageError(f"callbackmethod={method!r}: use http or https")
    return OidcOptions(
        mount=mount, role=params.get("role") or None, listen_address=params.get("listenaddress", "localhost"),
        port=port, callback_host=params.get("callbackhost", "localhost"), callback_method=method,
        callback_port=_port(params["callbackport"], "callbackport") if "callbackport" in params else port,
        skip_browser=_flag(params, "skip_browser"), abort_on_error=_flag(params, "abort_on_error"),
    )


def _page(title: str, message: str) -> bytes:
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Strongroom</title></head>"
        "<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\">"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>"
    ).encode()


SUCCESS_PAGE = _page("Signed in to Strongroom",
                     "You are signed in via your OIDC provider. You can close this window and return to the terminal.")


class _Flow:
    """What the callback listener shares with the waiting command: the first callback's outcome."""

    def __init__(self, finish: Callable[[dict[str, str]], Secret]) -> None:
        self._finish = finish
        self._lock = threading.Lock()
        self.done = threading.Event()
        self.secret: Secret | None = None
        self.failure: ClientError | None = None

    def callback(self, params: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            if self.secret is not None or self.failure is not None:
                return 409, _page("Already finished", "This login has already finished; close this window.")
            try:
                self.secret = self._finish(params)
            except ApiError as exc:
                self.failure = exc
                reason = "; ".join(exc.errors) or f"the server answered {exc.status}"
                return 400, _page("Login failed", f"{reason}. See the terminal for what to do next.")
            except ClientError as exc:
                self.failure = exc
                return 502, _page("Login failed", "Strongroom could not be reached. See the terminal.")
            return 200, SUCCESS_PAGE


class _Handler(BaseHTTPRequestHandler):
    server: _Listener

    def do_GET(self) -> None:
        self._answer(urlsplit(self.path).query)

    def do_POST(self) -> None:  # response_mode=form_post
        raw = self.headers.get("Content-Length") or "0"
        length = int(raw) if raw.isdigit() else MAX_FORM_BYTES + 1
        if length > MAX_FORM_BYTES:
            self._send(413, _page("Too large", "The callback form is too large."))
            return
        self._answer(self.rfile.read(length).decode("utf-8", "replace"))

    def _answer(self, query: str) -> None:
        if urlsplit(self.path).path != CALLBACK_PATH:
            self._send(404, _page("Not found", f"The login callback is {CALLBACK_PATH}."))
            return
        params = {k: v[0] for k, v in parse_qs(query).items()}
        status, page = self.server.flow.callback(params)
        try:
            self._send(status, page)
        finally:
            if status != 409:
                self.server.flow.done.set()  # after the page is written, so the browser always gets it

    def _send(self, status: int, page: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the query string carries the authorization code: never log it


class _Listener(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily, flow: _Flow) -> None:
        self.address_family = family
        self.flow = flow
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        TCPServer.server_bind(self)  # HTTPServer's own looks up the host's FQDN, which can stall offline
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that hangs up early is not worth a traceback in the terminal.
        print(f"note: a request to the OIDC callback listener failed: {sys.exc_info()[1]!r}", file=sys.stderr)


def _bind(options: OidcOptions, flow: _Flow) -> list[_Listener]:
    """One listener per address the listen address resolves to (localhost: 127.0.0.1 and ::1); a port in use
    on any of them is an error, so the browser never reaches another program by the same name."""
    try:
        infos = socket.getaddrinfo(options.listen_address, options.port, type=socket.SOCK_STREAM)
    except OSError:
        raise CliUsageError(f"listenaddress={options.listen_address!r} does not resolve") from None
    listeners: list[_Listener] = []
    for family, _, _, _, address in dict.fromkeys((i[0], i[1], i[2], i[3], i[4][:2]) for i in infos):
        try:
            listeners.append(_Listener((str(address[0]), int(address[1])), family, flow))
        except OSError as exc:
            if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                continue
            for listener in listeners:
                listener.server_close()
            raise OSError(  # a runtime failure (exit 2), as in Vault
                f"cannot listen on {options.listen_address}:{options.port} for the OIDC callback ({exc.strerror});"
                " pass port=N for a free port (the role's allowed_redirect_uris must allow it)"
            ) from None
    if not listeners:
        raise OSError(f"cannot listen on {options.listen_address}:{options.port} for the OIDC callback")
    return listeners


def _open(url: str, outcome: list[bool]) -> None:
    try:
        outcome.append(webbrowser.open(url))
    except webbrowser.Error:
        outcome.append(False)


def _launch(url: str, options: OidcOptions) -> None:
    if options.skip_browser:
        print(f"Complete the login via your OIDC provider. Open the following link in your browser:\n\n    {url}\n\n",
              file=sys.stderr)
        return
    print(f"Complete the login via your OIDC provider. Launching browser to:\n\n    {url}\n\n", file=sys.stderr)
    # A BROWSER command that python does not know is run and waited for, and may stay open until the browser
    # closes: open in the background, and take "still running" after a moment as "started".
    outcome: list[bool] = []
    opener = threading.Thread(target=_open, args=(url, outcome), daemon=True)
    opener.start()
    opener.join(BROWSER_START_SECONDS)
    if outcome and not outcome[0]:
        if options.abort_on_error:
            raise CliUsageError("could not start a browser (abort_on_error=true); set BROWSER, or skip_browser=true")
        print("Could not start a browser: please open the URL above yourself (set BROWSER to choose one).",
              file=sys.stderr)


def oidc_login(client: Client, options: OidcOptions, wait: float = WAIT_SECONDS) -> Secret:
    nonce = secrets.token_urlsafe(24)
    flow = _Flow(lambda params: client.auth.oidc.callback(params, nonce, mount=options.mount))
    listeners = _bind(options, flow)
    serving: list[_Listener] = []
    try:
        url = client.auth.oidc.auth_url(options.redirect_uri, options.role, nonce, mount=options.mount)
        for listener in listeners:
            threading.Thread(target=listener.serve_forever, args=(0.2,), daemon=True).start()
            serving.append(listener)
        _launch(url, options)
        print("Waiting for OIDC authentication to complete...", file=sys.stderr)
        if not flow.done.wait(wait):
            raise TimeoutError(f"timed out after {int(wait)}s waiting for the provider to send the browser back to "
                               f"{options.redirect_uri}; run the command again")
    finally:
        for listener in serving:
            listener.shutdown()
        for listener in listeners:
            listener.server_close()
    if flow.failure is not None:
        raise flow.failure
    assert flow.secret is not None  # done is set only after an outcome is recorded
    return flow.secret
