"""Client configuration from the environment and the token file; no server needed."""

from __future__ import annotations

import stat
from pathlib import Path

from strongroom.client import Client, ClientConfig, read_token_file, write_token_file
from strongroom.client.config import DEFAULT_ADDRESS, delete_token_file


def test_strongroom_variables_win_over_vault_and_bao() -> None:
    env = {
        "STRONGROOM_ADDR": "http://s:1",
        "VAULT_ADDR": "http://v:1",
        "BAO_ADDR": "http://b:1",
        "VAULT_TOKEN": "vt",
        "BAO_TOKEN": "bt",
    }
    config = ClientConfig.from_env(env, token_file=Path("/nonexistent/token"))
    assert (config.address, config.token) == ("http://s:1", "vt")


def test_bao_variables_are_the_last_fallback() -> None:
    env = {"BAO_ADDR": "http://b:1", "BAO_TOKEN": "bt", "BAO_NAMESPACE": "team"}
    config = ClientConfig.from_env(env, token_file=Path("/nonexistent/token"))
    assert (config.address, config.token, config.namespace) == ("http://b:1", "bt", "team")


def test_defaults_without_environment() -> None:
    config = ClientConfig.from_env({}, token_file=Path("/nonexistent/token"))
    assert (config.address, config.token, config.verify) == (DEFAULT_ADDRESS, None, True)


def test_empty_variable_falls_through_to_the_next_prefix() -> None:
    config = ClientConfig.from_env({"STRONGROOM_ADDR": "", "VAULT_ADDR": "http://v:1"}, Path("/nonexistent"))
    assert config.address == "http://v:1"


def test_ca_cert_and_skip_verify() -> None:
    assert ClientConfig.from_env({"VAULT_CACERT": "/ca.pem"}, Path("/none")).verify == "/ca.pem"
    assert ClientConfig.from_env({"BAO_SKIP_VERIFY": "true"}, Path("/none")).verify is False
    assert ClientConfig.from_env({"STRONGROOM_SKIP_VERIFY": "false"}, Path("/none")).verify is True


def test_token_file_is_used_when_no_token_variable(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    write_token_file("s.fromfile", token_file)
    assert ClientConfig.from_env({}, token_file).token == "s.fromfile"
    assert ClientConfig.from_env({"VAULT_TOKEN": "s.env"}, token_file).token == "s.env"


def test_token_file_is_written_0600_even_over_a_readable_file(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("old")
    token_file.chmod(0o644)
    write_token_file("s.new", token_file)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert read_token_file(token_file) == "s.new"
    assert [p.name for p in tmp_path.iterdir()] == ["token"]  # no temporary file left behind
    delete_token_file(token_file)
    assert read_token_file(token_file) is None


def test_reprs_never_show_the_token() -> None:
    config = ClientConfig(address="http://x:1", token="s.supersecret")
    client = Client("http://x:1", "s.supersecret")
    try:
        assert "supersecret" not in repr(config)
        assert "supersecret" not in repr(client)
    finally:
        client.close()
