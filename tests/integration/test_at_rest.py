"""Nothing written during the test reaches the SQLite file in the clear: no secret, token, password or key."""

from __future__ import annotations

import base64
from pathlib import Path

from serverproc import start

CANARIES = {
    "kv2": "kv2-canary-9d1f4c",
    "kv1": "kv1-canary-4b2e8a",
    "cubby": "cubby-canary-71c0d3",
    "password": "password-canary-5e6f7a",
    "meta": "metadata-canary-0aa1b2",
}


def test_raw_sqlite_file_holds_no_plaintext(tmp_path: Path) -> None:
    db = tmp_path / "data.db"
    proc = start(tmp_path, "-dev-storage=sqlite", f"-dev-storage-path={db}", root_token="")
    root = proc.log().split("Root Token: ")[1].split()[0]
    unseal_key = proc.log().split("Unseal Key: ")[1].split()[0]
    assert f"Storage: sqlite ({db})" in proc.log()
    proc.root_token = root
    issued: list[str] = []
    with proc.client() as client:
        assert client.post("secret/data/app", json={"data": {"pw": CANARIES["kv2"]}}).status_code == 200
        assert client.post("secret/metadata/app", json={"custom_metadata": {"m": CANARIES["meta"]}}).status_code == 204
        assert client.post("sys/mounts/kv1", json={"type": "kv"}).status_code == 204
        assert client.post("kv1/app", json={"pw": CANARIES["kv1"]}).status_code == 204
        assert client.post("cubbyhole/mine", json={"pw": CANARIES["cubby"]}).status_code == 204
        assert client.post("sys/auth/userpass", json={"type": "userpass"}).status_code == 204
        assert client.post("auth/userpass/users/alice", json={"password": CANARIES["password"]}).status_code == 204
        login = client.post("auth/userpass/login/alice", json={"password": CANARIES["password"]}).json()
        issued.append(login["auth"]["client_token"])
        created = client.post("auth/token/create", json={"policies": ["default"]}).json()["auth"]
        issued += [created["client_token"], created["accessor"]]
        assert client.post("sys/rotate").status_code == 204
        assert client.post("secret/data/after-rotate", json={"data": {"pw": CANARIES["kv2"]}}).status_code == 200
    proc.stop()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("data.db*"))
    assert len(raw) > 10_000
    forbidden = [*CANARIES.values(), *issued, root, unseal_key]
    for value in forbidden:
        for encoded in (value.encode(), base64.b64encode(value.encode()), value.encode().hex().encode()):
            assert encoded not in raw, f"found {value[:8]}… in the storage file"
    key_bytes = bytes.fromhex(unseal_key)
    assert key_bytes not in raw and base64.b64encode(key_bytes) not in raw
