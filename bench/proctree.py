#!/usr/bin/env python3
"""CPU time (user + system, milliseconds) of a process and all its descendants, from /proc.

`strongroom server -workers=N` is a parent that only relays seal messages plus N worker processes that serve;
the shared bench's BENCH_SERVER_PID column sees only the parent. Sum the tree instead:
    proctree.py PID            prints the tree's CPU milliseconds (children that already exited are counted
                               through the parent's cutime/cstime once it has waited for them)
"""

from __future__ import annotations

import os
import sys


def _stat(pid: int) -> tuple[int, int] | None:
    """(ppid, utime + stime + cutime + cstime in ticks), or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            rest = fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # rest[0] is the state (field 3); utime is field 14, so rest[11] .. cstime rest[14]
    return int(rest[1]), sum(int(v) for v in rest[11:15])


def tree_cpu_ms(root: int) -> int:
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            found = _stat(int(name))
            if found is not None:
                stats[int(name)] = found
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo.extend(children.get(pid, []))
    return total * 1000 // os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    print(tree_cpu_ms(int(sys.argv[1])))
