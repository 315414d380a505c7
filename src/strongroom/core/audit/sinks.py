"""Where a device's lines go: a file (or FIFO/character device), stdout, or nowhere.

`Sink.write(body)` seals the serialised entry into the device's hash chain and returns only once the line is
durable (written whole and fdatasync'd for regular files); it raises `OSError` otherwise. Appends are
serialised by a lock per sink and, for regular files, by `flock`, so several server processes can share one
file: under the lock the chain resumes from the file's tail whenever the file grew behind our back.

The file is reopened when its path no longer names the open inode (rotated or deleted), and after any
failure, so a device recovers by itself once its path is writable again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import sys
import threading
from typing import Protocol, TextIO

from strongroom.core.audit.chain import START, read_tail

_OPEN_FLAGS = os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO never blocks us


class Sink(Protocol):
    def write(self, body: bytes) -> None: ...

    def close(self) -> None: ...


class DiscardSink:
    def write(self, body: bytes) -> None:
        pass

    def close(self) -> None:
        pass


class StdoutSink:
    """Lines to the process's stdout; the chain starts afresh with the process."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._link = START

    def write(self, body: bytes) -> None:
        with self._lock:
            line, link = self._link.next_line(body)
            stream = self._stream or sys.stdout
            stream.write(line.decode())
            stream.flush()
            self._link = link

    def close(self) -> None:
        pass


class FileSink:
    def __init__(self, path: str, mode: int | None = 0o600) -> None:
        self.path = path
        self._mode = mode
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._identity: tuple[int, int] = (0, 0)
        self._regular = False
        self._link = START
        self._end = -1  # file size after our last append; -1 forces a tail read

    def write(self, body: bytes) -> None:
        with self._lock:
            try:
                fd = self._current_fd()
                if self._regular:
                    self._append_regular(fd, body)
                else:
                    line, link = self._link.next_line(body)
                    _write_all(fd, line)
                    self._link = link
            except OSError:
                self._close_locked()
                raise

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _current_fd(self) -> int:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        if self._fd is not None and st is not None and (st.st_dev, st.st_ino) == self._identity:
            return self._fd
        self._close_locked()
        fd, st = _open(self.path, regular=st is None or stat.S_ISREG(st.st_mode))
        try:
            self._regular = stat.S_ISREG(st.st_mode)
            if self._regular and self._mode is not None and stat.S_IMODE(st.st_mode) != self._mode:
                os.fchmod(fd, self._mode)
        except OSError:
            os.close(fd)
            raise
        self._fd, self._identity, self._end = fd, (st.st_dev, st.st_ino), -1
        return fd

    def _append_regular(self, fd: int, body: bytes) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            if size != self._end:
                self._link, end = read_tail(fd, size)
                if end != size:
                    os.ftruncate(fd, end)
                    size = end
            line, link = self._link.next_line(body)
            try:
                _write_all(fd, line)
                os.fdatasync(fd)
            except OSError:
                with contextlib.suppress(OSError):  # leave no torn line for the next append
                    os.ftruncate(fd, size)
                raise
            self._link, self._end = link, size + len(line)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _close_locked(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd, self._end, self._link = None, -1, START


def _open(path: str, regular: bool) -> tuple[int, os.stat_result]:
    """Regular files are opened read-write (the chain tail is read back); anything else write-only, so that
    a FIFO without a reader fails (ENXIO) instead of us becoming its reader."""
    fd = os.open(path, _OPEN_FLAGS | (os.O_RDWR if regular else os.O_WRONLY), 0o600)
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if regular and not stat.S_ISREG(st.st_mode):  # replaced between stat and open
        os.close(fd)
        return _open(path, regular=False)
    return fd, st


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError("audit write made no progress")
        view = view[written:]


def open_sink(file_path: str, mode: int | None, stdout: TextIO | None = None) -> Sink:
    if file_path == "discard":
        return DiscardSink()
    if file_path == "stdout":
        return StdoutSink(stdout)
    return FileSink(file_path, mode)
