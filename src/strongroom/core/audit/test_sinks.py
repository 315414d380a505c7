from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pytest

from strongroom.core.audit.sinks import DiscardSink, FileSink, open_sink
from strongroom.core.audit.verify import verify_file


def test_open_sink_picks_the_sink_by_file_path(tmp_path: Path) -> None:
    assert isinstance(open_sink("discard", None), DiscardSink)
    assert isinstance(open_sink(str(tmp_path / "a.log"), 0o600), FileSink)


def test_torn_tail_left_by_a_crash_is_dropped_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    sink = FileSink(str(path))
    sink.write(b'{"n":1}')
    sink.close()
    with path.open("ab") as stream:
        stream.write(b'{"n":2,"half')
    FileSink(str(path)).write(b'{"n":3}')
    assert verify_file(path).ok
    assert path.read_bytes().count(b"\n") == 2


def test_rotation_starts_a_new_chain_in_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    sink = FileSink(str(path))
    sink.write(b'{"n":1}')
    path.rename(tmp_path / "audit.log.1")
    sink.write(b'{"n":2}')
    assert verify_file(path).ok
    assert verify_file(tmp_path / "audit.log.1").ok
    assert b'"seq":1,' in path.read_bytes()


def test_fifo_without_reader_fails_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError):
        FileSink(str(fifo)).write(b'{"n":1}')


def test_fifo_with_a_reader_gets_chained_lines(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    sink = FileSink(str(fifo))
    sink.write(b'{"n":1}')
    sink.write(b'{"n":2}')
    data = os.read(reader, 4096)
    os.close(reader)
    sink.close()
    assert data.count(b"\n") == 2
    assert b'"seq":2' in data


def test_mode_zero_leaves_permissions_alone(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    path.write_text("")
    path.chmod(0o640)
    FileSink(str(path), mode=None).write(b'{"n":1}')
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_failed_append_leaves_no_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    sink = FileSink(str(path))
    sink.write(b'{"n":1}')
    size = path.stat().st_size
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 10, hard))  # the next line fits only partly: EFBIG
    try:
        with pytest.raises(OSError):
            sink.write(b'{"n":2,"pad":"' + b"x" * 100 + b'"}')
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert path.stat().st_size == size
    sink.write(b'{"n":3}')
    assert verify_file(path).ok


def test_stdout_sink_defaults_to_the_process_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    sink = open_sink("stdout", None)
    sink.write(b'{"n":1}')
    sink.close()
    assert '"seq":1' in capsys.readouterr().out
