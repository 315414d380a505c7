"""sys/init on a fresh server: Vault's validation, no silent downgrade of what was asked, one initialisation."""

from __future__ import annotations

from pathlib import Path

import httpx

from serverproc import free_port, start


def test_init_validates_refuses_what_it_cannot_do_and_runs_once(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "server.hcl"
    config.write_text(f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n}}\n')
    proc = start(tmp_path, "--config", str(config), dev=False, port=port)
    try:
        def init(body: object) -> httpx.Response:
            return httpx.put(proc.url("sys/init"), json=body, timeout=30)

        assert httpx.get(proc.url("sys/init"), timeout=30).json() == {"initialized": False}
        assert httpx.get(proc.url("sys/health"), timeout=30).status_code == 501
        for body, message in [
            ({"secret_shares": 0, "secret_threshold": 0}, "secret_shares must be between 1 and 255"),
            ({"secret_shares": 256, "secret_threshold": 2}, "secret_shares must be between 1 and 255"),
            ({"secret_shares": 3, "secret_threshold": 4}, "threshold cannot be larger than shares"),
            ({"secret_shares": 3, "secret_threshold": 1}, "threshold must be greater than one for multiple shares"),
            ({"secret_shares": "many", "secret_threshold": 2}, "secret_shares and secret_threshold must be integers"),
            ({"secret_shares": 1, "secret_threshold": 1, "pgp_keys": ["mQENBF..."]},
             "pgp_keys is not supported by this server"),
            ({"secret_shares": 1, "secret_threshold": 1, "root_token_pgp_key": "mQENBF..."},
             "root_token_pgp_key is not supported by this server"),
        ]:
            response = init(body)
            assert (response.status_code, response.json()) == (400, {"errors": [message]}), body
        assert httpx.get(proc.url("sys/init"), timeout=30).json() == {"initialized": False}, "nothing half-done"

        done = init({"secret_shares": 3, "secret_threshold": 2}).json()
        assert len(done["keys"]) == 3 and all(len(k) == 66 for k in done["keys"])
        assert done["root_token"].startswith("sr.s.")
        assert init({"secret_shares": 1, "secret_threshold": 1}).json() == {"errors": ["Vault is already initialized"]}
        assert httpx.get(proc.url("sys/health"), timeout=30).status_code == 503  # initialised, still sealed
    finally:
        proc.stop()
