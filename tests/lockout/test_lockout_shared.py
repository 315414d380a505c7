"""User lockout on approle, and lockout state shared by two cores on one SQLite file (as the server's worker
processes are) and kept across a restart."""

from __future__ import annotations

from pathlib import Path

from lockout.conftest import PASSWORD, login, make_core
from strongroom.core.core import Core
from strongroom.sdk.clock import FrozenClock
from strongroom.sdk.request import Operation, Request
from strongroom.storage.sqlite import SQLiteBackend

INVALID_ROLE = "WrongCredential: invalid role or secret ID"  # an InvalidRequest: 400 at the edge
INVALID_USER = "InvalidRequest: invalid username or password"


def _root_write(core: Core, root: str, path: str, **data: object) -> None:
    core.handle(Request(Operation.UPDATE, path, data, client_token=root, remote_addr="127.0.0.1"))


def _two_cores(tmp_path: Path) -> tuple[Core, Core, str, bytes, FrozenClock]:
    clock = FrozenClock()
    first = make_core(SQLiteBackend(tmp_path / "data.db"), clock)
    keys, root = first.initialize(1, 1)
    first.submit_unseal_key(keys[0])
    _root_write(first, root, "sys/auth/userpass", type="userpass")
    _root_write(first, root, "auth/userpass/users/alice", password=PASSWORD)
    second = make_core(SQLiteBackend(tmp_path / "data.db"), clock)
    second.submit_unseal_key(keys[0])
    return first, second, root, keys[0], clock


def test_two_processes_share_one_counter(tmp_path: Path) -> None:
    first, second, _, _, _ = _two_cores(tmp_path)
    for core in (first, second, first, second, first):
        assert login(core, "auth/userpass/login/Alice", password="wrong").error == INVALID_USER
    assert login(second, "auth/userpass/login/alice", password=PASSWORD).error == INVALID_USER
    assert login(first, "auth/userpass/login/alice", password=PASSWORD).error == INVALID_USER


def test_unlock_in_one_process_frees_the_user_in_the_other(tmp_path: Path) -> None:
    first, second, root, _, _ = _two_cores(tmp_path)
    for _ in range(5):
        login(first, "auth/userpass/login/alice", password="wrong")
    accessor = second.mount_entry("auth/userpass/")
    assert accessor is not None
    listed = second.handle(Request(Operation.READ, "sys/locked-users", {}, client_token=root)).data
    assert listed is not None and listed["total"] == 1
    _root_write(second, root, f"sys/locked-users/{accessor.accessor}/unlock/alice")
    assert login(first, "auth/userpass/login/alice", password=PASSWORD).token


def test_lock_survives_a_restart(tmp_path: Path) -> None:
    first, second, _, key, clock = _two_cores(tmp_path)
    for _ in range(5):
        login(first, "auth/userpass/login/alice", password="wrong")
    for core in (first, second):
        core.physical.close()
    again = make_core(SQLiteBackend(tmp_path / "data.db"), clock)
    again.submit_unseal_key(key)
    assert login(again, "auth/userpass/login/alice", password=PASSWORD).error == INVALID_USER
    clock.advance(15 * 60 + 1)
    assert login(again, "auth/userpass/login/alice", password=PASSWORD).token


def test_approle_role_ids_lock_without_spending_secret_ids(tmp_path: Path) -> None:
    first, _, root, _, _ = _two_cores(tmp_path)
    _root_write(first, root, "sys/auth/approle", type="approle")
    _root_write(first, root, "auth/approle/role/web", secret_id_num_uses=10)
    role_id = first.handle(Request(Operation.READ, "auth/approle/role/web/role-id", {}, client_token=root)).data
    secret = first.handle(Request(Operation.UPDATE, "auth/approle/role/web/secret-id", {}, client_token=root)).data
    assert role_id is not None and secret is not None
    rid, sid = role_id["role_id"], secret["secret_id"]
    for variant in (rid, f" {rid}", f"{rid}\t", rid, rid):
        assert login(first, "auth/approle/login", role_id=variant, secret_id="wrong").error == INVALID_ROLE
    assert login(first, "auth/approle/login", role_id=rid, secret_id=sid).error == INVALID_ROLE
    looked = first.handle(Request(Operation.UPDATE, "auth/approle/role/web/secret-id/lookup", {"secret_id": sid},
                                  client_token=root)).data
    assert looked is not None and looked["secret_id_num_uses"] == 10  # the locked login spent nothing
    _root_write(first, root, "sys/auth/approle/tune", user_lockout_config={"lockout_disable": True})
    assert login(first, "auth/approle/login", role_id=rid, secret_id=sid).token
