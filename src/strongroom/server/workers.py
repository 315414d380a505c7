"""Several server processes on one listening socket, so a server uses more than one core.

The parent binds the socket and spawns the workers; each worker has its own Core over the shared storage (the
barrier's cache stays coherent through the storage, see `Barrier.sync`). Seal state is kept in step through the
parent: every unseal share an operator submits to one worker is relayed to the others (so progress is shared,
whichever worker a request reaches), and so are progress resets and sealing. Shares and the dev server's key
only ever travel over local pipes between the server's own processes, never to disk.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import signal
import socket
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any, TextIO

from strongroom.server.config import ServerConfig

log = logging.getLogger("strongroom.server")


def bind(address: tuple[str, int]) -> socket.socket:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


ANNOUNCE_TIMEOUT = 10.0  # seconds a worker waits for its siblings to follow a seal-state change


def _follow_siblings(core: Any, conn: Connection, lock: threading.Lock) -> None:
    """Relay this worker's seal-state changes to its siblings, and follow theirs. An announcement returns
    once every sibling has applied it (or after ANNOUNCE_TIMEOUT), so when an operator's unseal or seal
    request is answered, no worker still serves in the old state."""
    waiting: dict[int, threading.Event] = {}
    numbers = itertools.count()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            conn.send(message)

    def announce(message: tuple[Any, ...]) -> None:
        number, done = next(numbers), threading.Event()
        waiting[number] = done
        send(("announce", number, message))
        if not done.wait(ANNOUNCE_TIMEOUT):
            log.warning("a sibling worker did not confirm a seal-state change in time")
        waiting.pop(number, None)

    core.on_share.append(lambda share: announce(("share", share)))
    core.on_reset.append(lambda: announce(("reset",)))
    core.on_sealed.append(lambda: announce(("seal",)))

    def follow(message: tuple[Any, ...]) -> None:
        if message[0] == "share":
            core.submit_unseal_key(message[1], announce=False)
        elif message[0] == "reset":
            core.reset_unseal(announce=False)
        elif message[0] == "seal":
            core.seal_now(announce=False)

    def listen() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            try:
                if message[0] == "unseal-key":
                    core.unseal_with_key(message[1])
                    send(("ready",))
                elif message[0] == "follow":  # ("follow", origin, number, change)
                    try:
                        follow(message[3])
                    finally:
                        send(("ack", message[1], message[2]))
                elif message[0] == "done":
                    event = waiting.get(message[1])
                    if event is not None:
                        event.set()
            except Exception:
                log.exception("worker could not follow the seal state of its siblings")

    threading.Thread(target=listen, name="seal-follower", daemon=True).start()


def _die_with_parent() -> None:
    """A worker must not outlive the server: if the parent dies (even by SIGKILL), so does the worker."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes instead
        pass


def _worker(config: ServerConfig, sock: socket.socket, conn: Connection, dev: bool) -> None:
    _die_with_parent()
    import uvicorn

    from strongroom.server.main import build_app, build_core, configure_logging, uvicorn_config

    configure_logging()
    core = build_core(config, dev=dev)
    _follow_siblings(core, conn, threading.Lock())
    app = build_app(core, config)
    uvicorn.Server(uvicorn_config(app, config.listener)).run(sockets=[sock])
    core.physical.close()


def run_workers(config: ServerConfig, count: int, *, dev_key: bytes | None = None, banner: str = "",
                out: TextIO = sys.stdout) -> None:
    """Serve with `count` worker processes until SIGINT/SIGTERM. `dev_key` unseals them at start; `banner` is
    printed once every worker is serving."""
    context = multiprocessing.get_context("spawn")
    sock = bind(config.listener.host_port)
    pipes: list[Connection] = []
    processes = []
    for index in range(count):
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker, args=(config, sock, child_end, dev_key is not None),
                                  name=f"strongroom-worker-{index}", daemon=False)
        process.start()
        pipes.append(parent_end)
        processes.append(process)
    if dev_key is not None:
        for pipe in pipes:
            pipe.send(("unseal-key", dev_key))
        for pipe in pipes:
            if pipe.poll(120):
                pipe.recv()  # ("ready",)
    out.write(banner)
    out.flush()
    stopping = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        for process in processes:
            if process.is_alive():
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _relay(pipes, processes, stopping)
    for process in processes:
        process.join(timeout=30)
    sock.close()


def _relay(pipes: list[Connection], processes: list[Any], stopping: threading.Event) -> None:
    """Forward each worker's announcement to its siblings and tell the announcer once all have applied it."""
    sentinels = {process.sentinel: process for process in processes}
    pending: dict[tuple[int, int], int] = {}  # (announcing worker, its number) -> siblings yet to confirm
    while not stopping.is_set():
        ready = multiprocessing.connection.wait([*pipes, *sentinels], timeout=1)
        for item in ready:
            if item in sentinels:
                if not stopping.is_set():
                    log.error("worker %s exited; stopping the server", sentinels[item].name)
                    stopping.set()
                    for process in processes:
                        if process.is_alive():
                            process.terminate()
                return
            assert isinstance(item, Connection)
            try:
                message = item.recv()
            except (EOFError, OSError):
                continue
            sender = pipes.index(item)
            if message[0] == "announce":  # ("announce", number, change)
                key = (sender, message[1])
                pending[key] = len(pipes) - 1
                for pipe in pipes:
                    if pipe is not item:
                        pipe.send(("follow", sender, message[1], message[2]))
            elif message[0] == "ack":  # ("ack", announcing worker, number)
                key = (message[1], message[2])
                pending[key] = pending.get(key, 1) - 1
            else:
                continue
            for (origin, number), left in list(pending.items()):
                if left <= 0:
                    del pending[(origin, number)]
                    pipes[origin].send(("done", number))
