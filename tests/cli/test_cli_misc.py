"""Exit codes, output formats, environment fallbacks, help, and the sys-level commands."""

from __future__ import annotations

import argparse
import json
import uuid

import pytest
import yaml

from strongroom.cli.main import build_parser

from .conftest import DevServer, Runner, free_port


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def test_status_exit_0_with_table_json_and_field(as_root: Runner) -> None:
    table = as_root("status")
    assert table.code == 0 and "Sealed          false" in table.out
    doc = json.loads(as_root("status", "-format=json").out)
    assert doc["sealed"] is False and doc["initialized"] is True and "ha_enabled" in doc
    assert as_root("status", "-field=sealed").out == "false\n"
    assert as_root("status", "--format", "yaml").code == 0


def test_connection_failure_exits_2_with_a_hint(cli: Runner) -> None:
    result = cli("kv", "get", "secret/x", env={"STRONGROOM_ADDR": f"http://127.0.0.1:{free_port()}"})
    assert result.code == 2
    assert "Is the server running? Set STRONGROOM_ADDR" in result.err
    assert "Traceback" not in result.err


def test_permission_denied_exits_2_without_echoing_the_token(cli: Runner, server: DevServer) -> None:
    env = {"STRONGROOM_ADDR": server.address, "STRONGROOM_TOKEN": "s.wrongwrongwrong"}
    result = cli("read", "sys/mounts", env=env)
    assert result.code == 2 and "permission denied" in result.err and "strongroom login" in result.err
    assert "wrongwrongwrong" not in result.err + result.out


def test_usage_errors_exit_1(cli: Runner) -> None:
    assert cli().code == 1
    assert cli("nosuchcommand").code == 1
    assert cli("kv", "get", "-bogus", "secret/x").code == 1
    assert cli("token").code == 1
    assert cli("kv", "metadata").code == 1


@pytest.mark.parametrize(
    ("env_name", "token_name"),
    [("VAULT_ADDR", "VAULT_TOKEN"), ("BAO_ADDR", "BAO_TOKEN"), ("STRONGROOM_ADDR", "BAO_TOKEN")],
)
def test_environment_fallbacks(cli: Runner, server: DevServer, env_name: str, token_name: str) -> None:
    result = cli("token", "lookup", "-field=id", env={env_name: server.address, token_name: server.root_token})
    assert result.code == 0 and result.out.strip() == server.root_token


def test_strongroom_variables_win(cli: Runner, server: DevServer) -> None:
    env = {
        "STRONGROOM_ADDR": server.address,
        "VAULT_ADDR": f"http://127.0.0.1:{free_port()}",
        "STRONGROOM_TOKEN": server.root_token,
        "VAULT_TOKEN": "s.wrong",
    }
    assert cli("token", "lookup", "-field=id", env=env).out.strip() == server.root_token


def test_address_flag_overrides_the_environment(cli: Runner, server: DevServer) -> None:
    env = {"STRONGROOM_ADDR": f"http://127.0.0.1:{free_port()}", "STRONGROOM_TOKEN": server.root_token}
    assert cli("status", f"-address={server.address}", env=env).code == 0
    assert cli("status", "-address", server.address, "-tls-skip-verify", env=env).code == 0


def test_secrets_enable_list_tune_disable(as_root: Runner) -> None:
    path = unique("store-")
    enabled = as_root("secrets", "enable", f"-path={path}", "-description=store", "-version=2", "kv")
    assert enabled.code == 0 and f"Enabled the kv secrets engine at: {path}/" in enabled.out
    assert as_root("secrets", "enable", f"-path={path}", "kv").code == 2  # already in use
    assert as_root("secrets", "enable", "nosuchengine").code == 2
    mounts = json.loads(as_root("secrets", "list", "-format=json").out)
    assert mounts[f"{path}/"]["type"] == "kv" and mounts[f"{path}/"]["options"]["version"] == "2"
    assert f"{path}/" in as_root("secrets", "list", "-detailed").out
    assert as_root("secrets", "tune", "-default-lease-ttl=1h", "-description=tuned", path).code == 0
    tune = json.loads(as_root("read", "-format=json", f"sys/mounts/{path}/tune").out)
    assert tune["data"]["default_lease_ttl"] == 3600 and tune["data"]["description"] == "tuned"
    assert as_root("secrets", "disable", path).code == 0
    assert f"{path}/" not in json.loads(as_root("secrets", "list", "-format=json").out)


def test_auth_enable_list_disable(as_root: Runner) -> None:
    path = unique("up-")
    assert as_root("auth", "enable", f"-path={path}", "userpass").code == 0
    methods = yaml.safe_load(as_root("auth", "list", "-format=yaml").out)
    assert methods[f"{path}/"]["type"] == "userpass"
    assert as_root("auth", "enable", "nosuchmethod").code == 2
    assert as_root("auth", "disable", path).code == 0
    assert f"{path}/" not in as_root("auth", "list").out


def test_operator_key_status_rotate_and_audit_list(as_root: Runner) -> None:
    term = json.loads(as_root("operator", "key-status", "-format=json").out)["term"]
    rotated = as_root("operator", "rotate")
    assert rotated.code == 0 and "Success! Rotated key" in rotated.out
    assert as_root("operator", "key-status", "-field=term").out.strip() == str(term + 1)
    assert as_root("audit", "list").out.strip() == "No audit devices are enabled."
    assert json.loads(as_root("audit", "list", "-format=json").out) == {}
    assert as_root("operator", "init", "-status").code == 0


def _leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _leaf_commands(child, (*prefix, name))
    return found


CLIENT_COMMANDS = ("status", "operator", "login", "kv", "read", "write", "list", "delete")
CLIENT_COMMANDS += ("secrets", "auth", "policy", "token", "audit")


def test_every_command_has_help(cli: Runner) -> None:
    commands = [c for c in _leaf_commands(build_parser()) if c and c[0] in CLIENT_COMMANDS]
    assert len(commands) >= 40
    for command in commands:
        result = cli(*command, "--help")
        assert result.code == 0 and "usage: strongroom" in result.out, command
        assert cli(*command, "-h").code == 0
