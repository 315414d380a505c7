"""A real server honours the limits and TTLs its configuration file declares."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from serverproc import start


def test_request_size_and_lease_ttls_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "server.hcl"
    config.write_text('max_request_size = 4096\ndefault_lease_ttl = "1h"\nmax_lease_ttl = "2h"\n')
    proc = start(tmp_path, "--config", str(config))
    try:
        with proc.client() as client:
            small = client.post("secret/data/small", json={"data": {"a": "b"}})
            assert small.status_code == 200
            big = client.post("secret/data/big", json={"data": {"a": "x" * 5000}})
            assert (big.status_code, big.json()) == (413, {"errors": ["http: request body too large"]})
            default = client.post("auth/token/create", json={"policies": ["default"]}).json()
            assert default["auth"]["lease_duration"] == 3600
            capped = client.post("auth/token/create", json={"policies": ["default"], "ttl": "5h"}).json()
            assert capped["auth"]["lease_duration"] == 7200 and "capped" in capped["warnings"][0]
            tune = client.get("sys/mounts/secret/tune").json()
            assert (tune["default_lease_ttl"], tune["max_lease_ttl"]) == (3600, 7200)
    finally:
        proc.stop()


def test_a_bad_config_file_stops_the_server_with_a_message(tmp_path: Path) -> None:
    config = tmp_path / "server.hcl"
    config.write_text('listener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = "perhaps"\n}\n')
    result = subprocess.run([sys.executable, "-m", "strongroom.cli.main", "server", "--config", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: listener.tls_disable must be true or false"
    assert "Traceback" not in result.stderr
