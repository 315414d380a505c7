#!/usr/bin/env python3
"""Server CPU per request summed over the process tree, from run.sh's tree_cpu.txt and the runs' raw.txt.

Usage: tree_cpu.py OUT. The CPU of one run also covers the bench's set-up requests before it (a dozen
requests, one password hash), which matters only for userpass_login.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path


def main() -> None:
    out = Path(sys.argv[1])
    per: dict[tuple[str, str], list[float]] = {}
    rps: dict[tuple[str, str], list[float]] = {}
    for line in (out / "tree_cpu.txt").read_text().splitlines():
        if line.startswith("#"):
            continue
        label, case, rnd, cpu_ms, _load = line.split()
        raw = out / label / f"round{rnd}-{case}" / "raw.txt"
        fields = raw.read_text().split()
        requests = int(fields[7])
        per.setdefault((label, case), []).append(int(cpu_ms) / max(requests, 1))
        rps.setdefault((label, case), []).append(float(fields[2]))
    cases = list(dict.fromkeys(case for _, case in per))
    print("\n| case | OpenBao CPU ms/req | Strongroom CPU ms/req (tree) | OpenBao req/s per core | "
          "Strongroom req/s per core | ratio per core |")
    print("|---|---|---|---|---|---|")
    for case in cases:
        bao = statistics.median(per.get(("openbao", case), [float("nan")]))
        sr = statistics.median(per.get(("strongroom", case), [float("nan")]))
        print(f"| {case} | {bao:.3f} | {sr:.3f} | {1000 / bao:,.0f} | {1000 / sr:,.0f} | {bao / sr:.2f}x |")


if __name__ == "__main__":
    main()
