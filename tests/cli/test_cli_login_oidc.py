"""`strongroom login -method=oidc` end to end: the real CLI process, a real headless Chromium, a real OpenID
provider (oidc-provider on loopback HTTPS, tests/auth_jwt/provider) and a real server (OpenBao and Strongroom).

The CLI opens the provider URL through python's `webbrowser` with BROWSER set to a launcher that records the
URL; Chromium, driven by Playwright, opens it, signs in and consents on the provider's pages, and is sent back to
the CLI's loopback listener, which finishes the login with the server. The stored token must carry the role's
policies. Chromium comes from Debian (`chromium`, installed by scripts/test); Playwright only drives it.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from auth_jwt.conftest import CLIENT_ID, CLIENT_SECRET, OpenIdProvider, _ensure_node_modules, _make_tls
from strongroom.client import ApiError, Client
from strongroom.crypto.jose import SigningKey

from .conftest import DevServer, Runner, free_port

pytestmark = pytest.mark.timeout(180)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LAUNCHER = f"""#!{sys.executable}
# A stand-in for a desktop browser launcher: writes the URL where the test picks it up for Chromium.
import os, sys
with open(os.environ["OIDC_TEST_URL_FILE"], "w") as out:
    out.write(sys.argv[1])
"""


@dataclass(frozen=True)
class Oidc:
    provider: OpenIdProvider
    port: int  # the CLI's callback port, the one the provider's client allows

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}/oidc/callback"


@pytest.fixture(scope="module")
def oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oidc]:
    _ensure_node_modules()
    folder = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    provider = OpenIdProvider(folder, _make_tls(folder), [SigningKey.generate("RS256", "cli-rsa-1")],
                              redirect_uri=f"http://127.0.0.1:{port}/oidc/callback")
    provider.start()
    yield Oidc(provider, port)
    provider.stop()


def oidc_mount(root: Client, oidc: Oidc, **role: object) -> str:
    mount = f"oidc-{uuid.uuid4().hex[:8]}"
    root.sys.enable_auth(mount, "oidc", options={"allow_loopback": "true"})
    root.write(f"auth/{mount}/config", oidc_discovery_url=oidc.provider.issuer,
               oidc_discovery_ca_pem=oidc.provider.tls.ca_pem, oidc_client_id=CLIENT_ID,
               oidc_client_secret=CLIENT_SECRET, default_role="people")
    root.write(f"auth/{mount}/role/people", **{
        "role_type": "oidc", "user_claim": "sub", "groups_claim": "groups", "oidc_scopes": ["email", "groups"],
        "allowed_redirect_uris": [oidc.redirect_uri], "claim_mappings": {"email": "email"},
        "token_policies": ["people", "readers"], "token_ttl": "1h", **role,
    })
    return mount


@dataclass
class CliProcess:
    process: subprocess.Popen[str]
    url_file: Path
    home: Path

    def auth_url(self, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.url_file.exists() and self.url_file.read_text():
                return self.url_file.read_text()
            if self.process.poll() is not None:
                raise AssertionError(f"the CLI exited early: {self.process.communicate()}")
            time.sleep(0.05)
        raise AssertionError("the CLI did not launch a browser")

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err


@pytest.fixture
def run_login(tmp_path: Path, server: DevServer) -> Iterator[object]:
    started: list[CliProcess] = []

    def start(*args: str, browser: str = "") -> CliProcess:
        launcher = tmp_path / "launch-browser"
        launcher.write_text(LAUNCHER)
        launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        url_file = tmp_path / f"url-{len(started)}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STRONGROOM_", "VAULT_", "BAO_"))}
        env.update(HOME=str(home), STRONGROOM_ADDR=server.address, BROWSER=browser or str(launcher),
                   OIDC_TEST_URL_FILE=str(url_file))
        argv = [sys.executable, "-m", "strongroom.cli.main", "login", "-method=oidc", *args]
        proc = CliProcess(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True), url_file, home)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.process.poll() is None:
            proc.process.kill()
            proc.process.communicate()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def sign_in(chromium: object, auth_url: str, user: str, *, consent: bool = True) -> tuple[str, str]:
    """Play the person at the browser on the provider's own pages; return where the browser ended up and
    the text it shows there."""
    # The provider's certificate comes from the test's own CA, which Chromium does not know.
    context = chromium.new_context(ignore_https_errors=True)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(auth_url)
        page.fill("input[name=login]", user)
        page.fill("input[name=password]", "any password")
        page.click("button[type=submit]")
        page.wait_for_selector("input[name=prompt][value=consent]", state="attached")
        if consent:
            page.click("button[type=submit]")
        else:
            page.click("a[href$='/abort']")
        page.wait_for_url("http://127.0.0.1:*/oidc/callback*")
        page.wait_for_load_state()
        return page.url, page.inner_text("body")
    finally:
        context.close()


def test_browser_login_stores_a_token_with_the_roles_policies(
    oidc: Oidc, root: Client, server: DevServer, run_login: object, chromium: object
) -> None:
    mount = oidc_mount(root, oidc)
    cli = run_login(f"-path={mount}", "role=people", "listenaddress=127.0.0.1", f"port={oidc.port}",  # type: ignore[operator]
                    "callbackhost=127.0.0.1")
    auth_url = cli.auth_url()
    assert auth_url.startswith(oidc.provider.issuer) and "code_challenge=" in auth_url
    url, text = sign_in(chromium, auth_url, "alice")
    assert url.startswith(oidc.redirect_uri) and "Signed in to Strongroom" in text
    code, out, err = cli.finish()
    assert code == 0, err
    assert "Launching browser to:" in err and auth_url in err
    assert "Success! You are now authenticated" in out
    token_file = cli.home / ".strongroom-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    with Client(server.address, token_file.read_text()) as client:
        info = client.token.lookup_self().data or {}
    assert {"people", "readers"} <= set(info["policies"])
    assert info["meta"]["email"] == "alice@example.test"


def test_refused_consent_shows_an_error_page_and_exits_2(
    oidc: Oidc, root: Client, run_login: object, chromium: object
) -> None:
    mount = oidc_mount(root, oidc)
    cli = run_login(f"-path={mount}", "listenaddress=127.0.0.1", f"port={oidc.port}",  # type: ignore[operator]
                    "callbackhost=127.0.0.1", "skip_browser=true", "-format=json")
    auth_url = _stderr_url(cli.process)
    assert not cli.url_file.exists()  # skip_browser: nothing was launched
    url, text = sign_in(chromium, auth_url, "bob", consent=False)
    assert "error=access_denied" in url and "Login failed" in text
    code, out, err = cli.finish()
    assert code == 2 and "access_denied" in err and out == ""
    assert not (cli.home / ".strongroom-token").exists()


def _stderr_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    for _ in range(20):
        line = process.stderr.readline().strip()
        if line.startswith("https://"):
            return line
    raise AssertionError("the CLI did not print the authorization URL")


def test_option_errors_exit_1_and_a_busy_port_2_before_anything_starts(cli: Runner, server: DevServer) -> None:
    env = {"STRONGROOM_ADDR": server.address}
    unknown = cli("login", "-method=oidc", "colour=blue", env=env)
    assert unknown.code == 1 and "unknown option 'colour'" in unknown.err
    assert cli("login", "-method=oidc", "port=http", env=env).code == 1
    assert cli("login", "-method=oidc", "callbackmode=device", env=env).code == 1
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = cli("login", "-method=oidc", "listenaddress=127.0.0.1", f"port={port}", env=env)
    assert taken.code == 2 and "pass port=N" in taken.err


def test_unknown_role_or_redirect_fails_with_the_servers_reason(
    oidc: Oidc, root: Client, cli: Runner, server: DevServer
) -> None:
    mount = oidc_mount(root, oidc)
    env = {"STRONGROOM_ADDR": server.address}
    result = cli("login", "-method=oidc", f"-path={mount}", "role=nobody", "listenaddress=127.0.0.1",
                 f"port={free_port()}", env=env)
    assert result.code == 2 and "nobody" in result.err


def test_a_forged_callback_on_localhost_ends_the_login_with_the_servers_refusal(
    oidc: Oidc, root: Client, run_login: object
) -> None:
    """The default listen address: localhost, every address it resolves to (127.0.0.1, and ::1 where it
    exists). A callback whose state the server never issued is refused; the browser gets an error page."""
    mount = oidc_mount(root, oidc)
    port = free_port()
    root.write(f"auth/{mount}/role/people", allowed_redirect_uris=[f"http://localhost:{port}/oidc/callback"])
    cli = run_login(f"-path={mount}", f"port={port}", "skip_browser=true")  # type: ignore[operator]
    assert f"redirect_uri=http%3A%2F%2Flocalhost%3A{port}%2Foidc%2Fcallback" in _stderr_url(cli.process)
    with httpx.Client(timeout=10) as browser:
        assert browser.get(f"http://127.0.0.1:{port}/favicon.ico").status_code == 404  # not the callback
        # as a provider with response_mode=form_post would send it
        page = browser.post(f"http://localhost:{port}/oidc/callback", data={"state": "st_forged", "code": "c"})
    assert page.status_code == 400 and "Login failed" in page.text and page.headers["Cache-Control"] == "no-store"
    code, out, err = cli.finish()
    assert code == 2 and "Expired or missing OAuth state" in err and out == ""


def test_a_browser_that_cannot_start_aborts_with_abort_on_error(oidc: Oidc, root: Client, run_login: object) -> None:
    mount = oidc_mount(root, oidc)
    cli = run_login(f"-path={mount}", "listenaddress=127.0.0.1", f"port={free_port()}",  # type: ignore[operator]
                    "callbackhost=127.0.0.1", "abort_on_error=true", browser=shutil.which("false") or "/bin/false")
    code, _, err = cli.finish()
    assert code == 1, err
    assert "could not start a browser" in err and "Launching browser to:" in err


def test_client_oidc_calls(oidc: Oidc, root: Client, server: DevServer) -> None:
    mount = oidc_mount(root, oidc)
    with Client(server.address) as anonymous:
        url = anonymous.auth.oidc.auth_url(oidc.redirect_uri, "people", client_nonce="n-123", mount=mount)
        assert url.startswith(oidc.provider.issuer) and "state=" in url and "nonce=" in url
        with pytest.raises(ApiError) as refused:
            anonymous.auth.oidc.callback({"state": "st_unknown", "code": "x", "ignored": "y"}, "n-123", mount=mount)
        assert refused.value.status == 400 and not anonymous.has_token
        with pytest.raises(ApiError, match="redirect_uri"):
            anonymous.auth.oidc.auth_url("http://attacker.example/cb", "people", mount=mount)
