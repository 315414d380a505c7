from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from strongroom.conftest import run_at_once
from strongroom.core.audit.broker import TEST_PATH, AuditBroker
from strongroom.core.audit.chain import ZERO_HASH
from strongroom.core.audit.conftest import CANARY, read_lines, sample_entry
from strongroom.core.audit.errors import AuditError
from strongroom.core.audit.verify import verify_file
from strongroom.sdk.clock import FrozenClock, rfc3339
from strongroom.sdk.errors import InvalidRequest
from strongroom.sdk.storage import InMemoryStorage


def test_no_devices_means_logging_is_a_no_op(broker: AuditBroker) -> None:
    assert not broker.enabled
    broker.log_request(sample_entry())
    broker.log_response(sample_entry())


def test_enable_writes_a_test_entry_then_each_request_writes_two_lines(
    broker: AuditBroker, log_path: Path, clock: FrozenClock
) -> None:
    broker.enable("file", "file", {"file_path": str(log_path)}, "f")
    broker.log_request(sample_entry())
    broker.log_response(sample_entry())
    lines = read_lines(log_path)
    assert [line["type"] for line in lines] == ["request", "request", "response"]
    assert lines[0]["request"]["path"] == TEST_PATH
    assert lines[1]["time"] == rfc3339(clock.now())
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[0]["prev_hash"] == ZERO_HASH
    assert verify_file(log_path).ok
    assert broker.stats() == {"file/": {"writes": 3, "failures": 0}}


def test_canary_never_reaches_the_file_and_hash_agrees_with_the_log(broker: AuditBroker, log_path: Path) -> None:
    broker.enable("file/", "file", {"file_path": str(log_path)})
    broker.log_request(sample_entry())
    broker.log_response(sample_entry())
    assert CANARY.encode() not in log_path.read_bytes()
    response = read_lines(log_path)[2]
    assert response["request"]["data"]["data"]["password"] == broker.hash("file", CANARY)
    assert response["response"]["data"]["keys"][0] == broker.hash("file/", CANARY)
    assert response["request"]["data"]["data"]["n"] == 5


def test_listing_shape(broker: AuditBroker, log_path: Path) -> None:
    options = {"file_path": str(log_path), "hmac_accessor": "true"}
    broker.enable("file", "file", options, "f")
    assert broker.devices() == {
        "file/": {"type": "file", "description": "f", "options": options, "path": "file/", "local": False}
    }
    assert broker.enabled


def test_salt_persists_across_a_new_broker_on_the_same_storage(
    storage: InMemoryStorage, clock: FrozenClock, log_path: Path
) -> None:
    first = AuditBroker(storage, clock)
    first.enable("file", "file", {"file_path": str(log_path)})
    before = first.hash("file", "hunter2")
    second = AuditBroker(storage, clock)
    second.load()
    assert second.devices() == first.devices()
    assert second.hash("file", "hunter2") == before


def test_declared_devices_are_not_persisted_but_keep_their_salt(
    storage: InMemoryStorage, clock: FrozenClock, log_path: Path
) -> None:
    first = AuditBroker(storage, clock)
    first.enable("cfg", "file", {"file_path": str(log_path)}, declared=True)
    second = AuditBroker(storage, clock)
    second.load()
    assert second.devices() == {}
    second.enable("cfg", "file", {"file_path": str(log_path)}, declared=True)
    assert second.hash("cfg", "x") == first.hash("cfg", "x")


def test_disabled_device_stops_writing_and_forgets_its_salt(broker: AuditBroker, log_path: Path) -> None:
    broker.enable("file", "file", {"file_path": str(log_path)})
    old = broker.hash("file", "x")
    broker.disable("file/")
    broker.log_request(sample_entry())
    assert len(read_lines(log_path)) == 1
    assert not broker.enabled
    broker.disable("file")  # disabling again is fine
    broker.enable("file", "file", {"file_path": str(log_path)})
    assert broker.hash("file", "x") != old


def test_load_picks_up_another_process_disable(storage: InMemoryStorage, clock: FrozenClock, log_path: Path) -> None:
    first, second = AuditBroker(storage, clock), AuditBroker(storage, clock)
    first.enable("file", "file", {"file_path": str(log_path)})
    second.load()
    first.disable("file")
    second.load()
    assert not second.enabled


def test_enable_rejects_bad_requests(broker: AuditBroker, log_path: Path) -> None:
    broker.enable("file", "file", {"file_path": str(log_path)})
    with pytest.raises(InvalidRequest):
        broker.enable("file/", "file", {"file_path": str(log_path)})
    with pytest.raises(InvalidRequest):
        broker.enable("sys", "syslog", {})
    with pytest.raises(InvalidRequest):
        broker.enable("other", "file", {})
    with pytest.raises(InvalidRequest):
        broker.enable("../x", "file", {"file_path": str(log_path)})
    with pytest.raises(InvalidRequest):
        broker.hash("missing", "x")


def test_enable_fails_when_the_test_write_fails(broker: AuditBroker, tmp_path: Path) -> None:
    blocker = tmp_path / "regular-file"
    blocker.write_text("")
    with pytest.raises(AuditError):
        broker.enable("file", "file", {"file_path": str(blocker / "audit.log")})
    assert not broker.enabled


def test_fail_closed_when_the_only_device_cannot_write(broker: AuditBroker, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    broker.enable("file", "file", {"file_path": str(folder / "audit.log")})
    (folder / "audit.log").unlink()
    folder.rmdir()
    folder.write_text("now a regular file")  # fails for root too: ENOTDIR
    with pytest.raises(AuditError):
        broker.log_request(sample_entry())
    assert broker.stats()["file/"]["failures"] == 1


def test_fail_closed_on_a_full_disk(broker: AuditBroker) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with pytest.raises(AuditError):
        broker.enable("full", "file", {"file_path": "/dev/full"})


def test_one_failing_device_of_two_still_succeeds(broker: AuditBroker, tmp_path: Path) -> None:
    good, folder = tmp_path / "good.log", tmp_path / "bad"
    folder.mkdir()
    broker.enable("good", "file", {"file_path": str(good)})
    broker.enable("bad", "file", {"file_path": str(folder / "audit.log")})
    (folder / "audit.log").unlink()
    folder.rmdir()
    folder.write_text("")
    broker.log_request(sample_entry())
    assert len(read_lines(good)) == 2
    assert broker.stats()["bad/"] == {"writes": 1, "failures": 1}


def test_device_recovers_once_its_path_is_writable_again(broker: AuditBroker, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    broker.enable("file", "file", {"file_path": str(folder / "audit.log")})
    (folder / "audit.log").unlink()
    folder.rmdir()
    with pytest.raises(AuditError):
        broker.log_request(sample_entry())
    folder.mkdir()
    broker.log_request(sample_entry())
    assert verify_file(folder / "audit.log").ok


def test_devices_are_isolated_log_raw_on_one_does_not_leak_on_the_other(broker: AuditBroker, tmp_path: Path) -> None:
    raw, hashed = tmp_path / "raw.log", tmp_path / "hashed.log"
    broker.enable("raw", "file", {"file_path": str(raw), "log_raw": "true"})
    broker.enable("hashed", "file", {"file_path": str(hashed)})
    broker.log_request(sample_entry())
    assert CANARY.encode() in raw.read_bytes()
    assert CANARY.encode() not in hashed.read_bytes()
    assert broker.hash("raw", "x") != broker.hash("hashed", "x")


def test_stdout_and_discard_devices(storage: InMemoryStorage, clock: FrozenClock) -> None:
    out = io.StringIO()
    broker = AuditBroker(storage, clock, stdout=out)
    broker.enable("out", "file", {"file_path": "stdout"})
    broker.enable("nowhere", "file", {"file_path": "discard"})
    broker.log_request(sample_entry())
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert CANARY not in out.getvalue()


def test_restart_appends_and_continues_the_chain(storage: InMemoryStorage, clock: FrozenClock, log_path: Path) -> None:
    first = AuditBroker(storage, clock)
    first.enable("file", "file", {"file_path": str(log_path)})
    first.log_request(sample_entry())
    second = AuditBroker(storage, clock)
    second.load()
    second.log_request(sample_entry())
    lines = read_lines(log_path)
    assert [line["seq"] for line in lines] == [1, 2, 3]
    result = verify_file(log_path)
    assert (result.ok, result.lines) == (True, 3)


def test_concurrent_appends_keep_the_chain_intact(broker: AuditBroker, log_path: Path) -> None:
    broker.enable("file", "file", {"file_path": str(log_path)})

    def work() -> None:
        for _ in range(25):
            broker.log_request(sample_entry())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify_file(log_path)
    assert (result.ok, result.lines) == (True, 101)


def test_two_brokers_sharing_one_file_keep_one_chain(
    storage: InMemoryStorage, clock: FrozenClock, log_path: Path
) -> None:
    first, second = AuditBroker(storage, clock), AuditBroker(storage, clock)
    first.enable("file", "file", {"file_path": str(log_path)})
    second.load()
    for _ in range(3):
        first.log_request(sample_entry())
        second.log_response(sample_entry())
    assert verify_file(log_path).ok
    assert len(read_lines(log_path)) == 7


def test_audit_file_is_private(broker: AuditBroker, log_path: Path) -> None:
    log_path.write_text("")
    log_path.chmod(0o644)
    broker.enable("file", "file", {"file_path": str(log_path)})
    assert log_path.stat().st_mode & 0o777 == 0o600


def test_devices_enabled_in_two_processes_at_once_are_all_kept(
    storage: InMemoryStorage, clock: FrozenClock, tmp_path: Path, racy_threads: None
) -> None:
    first, second = AuditBroker(storage, clock), AuditBroker(storage, clock)

    def enable_many(broker: AuditBroker, name: str) -> None:
        for n in range(40):
            broker.enable(f"{name}{n}", "file", {"file_path": str(tmp_path / f"{name}{n}.log")})

    run_at_once(lambda: enable_many(first, "a"), lambda: enable_many(second, "b"))
    third = AuditBroker(storage, clock)
    third.load()
    assert set(third.devices()) == {f"{name}{n}/" for name in "ab" for n in range(40)}
