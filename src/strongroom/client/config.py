"""Where the client finds its address, token and TLS settings.

Every setting is looked up as `STRONGROOM_<NAME>`, then `VAULT_<NAME>`, then `BAO_<NAME>`, so scripts written
for Vault or OpenBao keep working. When no token variable is set, the token file `~/.strongroom-token`
(written by `strongroom login` with mode 0600) is used.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ADDRESS = "https://127.0.0.1:8200"
ENV_PREFIXES = ("STRONGROOM_", "VAULT_", "BAO_")
TOKEN_FILE_NAME = ".strongroom-token"
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})


def env_setting(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The first non-empty `STRONGROOM_<name>`, `VAULT_<name>` or `BAO_<name>`."""
    env = os.environ if environ is None else environ
    for prefix in ENV_PREFIXES:
        value = env.get(prefix + name)
        if value:
            return value
    return None


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    value = env_setting(name, environ)
    return value is not None and value.strip().lower() in _TRUE


def token_file_path() -> Path:
    return Path.home() / TOKEN_FILE_NAME


def read_token_file(path: Path | None = None) -> str | None:
    """The stored token, or None when there is no token file."""
    target = token_file_path() if path is None else path
    try:
        text = target.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or None


def write_token_file(token: str, path: Path | None = None) -> Path:
    """Store the token readable by its owner only (0600), replacing the file atomically."""
    target = token_file_path() if path is None else path
    target.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 from the start, so the token is never readable by others.
    fd, tmp = tempfile.mkstemp(prefix=".strongroom-token.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def delete_token_file(path: Path | None = None) -> None:
    target = token_file_path() if path is None else path
    with contextlib.suppress(FileNotFoundError):
        target.unlink()


@dataclass(frozen=True)
class ClientConfig:
    """Resolved connection settings. `verify` is True, False or the path of a CA bundle."""

    address: str = DEFAULT_ADDRESS
    token: str | None = field(default=None, repr=False)
    namespace: str | None = None
    verify: bool | str = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, token_file: Path | None = None) -> ClientConfig:
        token = env_setting("TOKEN", environ)
        if token is None:
            token = read_token_file(token_file)
        verify: bool | str = True
        ca_cert = env_setting("CACERT", environ)
        if ca_cert:
            verify = ca_cert
        if env_flag("SKIP_VERIFY", environ):
            verify = False
        return cls(
            address=env_setting("ADDR", environ) or DEFAULT_ADDRESS,
            token=token,
            namespace=env_setting("NAMESPACE", environ),
            verify=verify,
        )
