"""The server configuration file: OpenBao's keys, and values that are refused at load rather than misread."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.server.config import ConfigError, load, parse

FULL = '''
storage "sqlite" { path = "/data/strongroom.db" }
listener "tcp" {
  address         = "0.0.0.0:8201"
  tls_cert_file   = "/tls/cert.pem"
  tls_key_file    = "/tls/key.pem"
  tls_min_version = "tls13"
}
api_addr = "https://vault.example.com:8201"
audit "file" "main" { options { file_path = "/logs/audit.log" } }
max_request_size  = 1048576
default_lease_ttl = "1h"
max_lease_ttl     = "24h"
'''


def test_openbao_keys_are_read() -> None:
    config = parse(FULL)
    assert (config.storage_type, config.storage_path) == ("sqlite", "/data/strongroom.db")
    assert config.listener.host_port == ("0.0.0.0", 8201)
    assert config.listener.tls and config.listener.tls_min_version == "tls13"
    assert config.api_addr == "https://vault.example.com:8201"
    assert [(d.path, d.type, d.options) for d in config.audit_devices] == [
        ("main", "file", {"file_path": "/logs/audit.log"})]
    assert (config.max_request_size, config.default_lease_ttl, config.max_lease_ttl) == (1048576, 3600, 86400)
    assert config.unsafe_allow_api_audit_creation is False


def test_defaults() -> None:
    config = parse("")
    assert (config.storage_type, config.listener.tls, config.max_request_size) == ("inmem", False, 32 << 20)
    assert config.default_lease_ttl == config.max_lease_ttl == 768 * 3600


def test_json_form(tmp_path: Path) -> None:
    path = tmp_path / "server.json"
    path.write_text('{"storage": {"sqlite": {"path": "/d.db"}}, "listener": {"tcp": {"address": "127.0.0.1:9"}},'
                    ' "max_lease_ttl": 7200}')
    config = load(path)
    assert (config.storage_path, config.listener.host_port, config.max_lease_ttl) == ("/d.db", ("127.0.0.1", 9), 7200)


def test_max_request_size_in_the_listener_block_as_openbao_has_it() -> None:
    assert parse('listener "tcp" {\n  address = "127.0.0.1:1"\n  max_request_size = 512\n}').max_request_size == 512


@pytest.mark.parametrize(("text", "tls"), [
    ('tls_disable = "false"', True), ('tls_disable = false', True), ('tls_disable = "0"', True),
    ('tls_disable = "true"', False), ('tls_disable = true', False), ('tls_disable = 1', False),
])
def test_tls_disable_strings_are_read_as_go_reads_them(text: str, tls: bool) -> None:
    config = parse(f'listener "tcp" {{\n  tls_cert_file = "c"\n  tls_key_file = "k"\n  {text}\n}}')
    assert config.listener.tls is tls


@pytest.mark.parametrize(("value", "allowed"), [('"false"', False), ("false", False), ('"true"', True), ("true", True)])
def test_a_false_string_never_enables_api_audit_creation(value: str, allowed: bool) -> None:
    assert parse(f"unsafe_allow_api_audit_creation = {value}").unsafe_allow_api_audit_creation is allowed


@pytest.mark.parametrize(("text", "key"), [
    ('listener "tcp" { tls_disable = "yes" }', "tls_disable"),
    ('unsafe_allow_api_audit_creation = "maybe"', "unsafe_allow_api_audit_creation"),
    ('max_request_size = "big"', "max_request_size"),
    ("max_request_size = 0", "max_request_size"),
    ('default_lease_ttl = "forever"', "default_lease_ttl"),
    ('max_lease_ttl = "-1h"', "max_lease_ttl"),
    ('workers = "many"', "workers"),
    ('storage "sqlite" {}', "path"),
    ('storage "consul" {}', "consul"),
    ('listener "unix" {}', "unix"),
    ('listener "tcp" { address = "nowhere" }', "HOST:PORT"),
    ("storage {{{", "cannot parse"),
])
def test_bad_values_are_refused_at_load(text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        parse(text).listener.host_port  # noqa: B018 - the address is checked when it is used


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "missing.hcl")
