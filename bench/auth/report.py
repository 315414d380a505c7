#!/usr/bin/env python3
"""Median table of bench/auth/run.sh's raw.txt: logins/s, p50/p99 ms and server CPU ms per login for each case
and server, the ratio Strongroom/OpenBao, and the userpass hashing cost each server's figures imply (CPU per
userpass login minus CPU per approle login: the same pipeline without the password hash)."""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict


def main() -> None:
    rows: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
    errors: dict[tuple[str, str], int] = defaultdict(int)
    with open(sys.argv[1]) as fh:
        for line in fh:
            f = line.split()
            if len(f) < 13 or line.startswith("#"):
                continue
            rows[(f[0], f[1])].append(f)
            errors[(f[0], f[1])] += int(f[7]) + int(f[8])
    cases = list(dict.fromkeys(case for _, case in rows))

    def med(label: str, case: str, col: int) -> float:
        return statistics.median(float(r[col]) for r in rows[(label, case)])

    print("| case | OpenBao logins/s | Strongroom logins/s | ratio | OpenBao p50/p99 ms | Strongroom p50/p99 ms "
          "| CPU ms/login OpenBao | CPU ms/login Strongroom | runs | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for case in cases:
        if ("openbao", case) not in rows or ("strongroom", case) not in rows:
            continue
        ob, sr = med("openbao", case, 3), med("strongroom", case, 3)
        print(f"| {case} | {ob:,.0f} | {sr:,.0f} | {sr / ob:.2f} | {med('openbao', case, 4):.1f} / "
              f"{med('openbao', case, 5):.1f} | {med('strongroom', case, 4):.1f} / {med('strongroom', case, 5):.1f} "
              f"| {med('openbao', case, 9):.2f} | {med('strongroom', case, 9):.2f} "
              f"| {len(rows[('openbao', case)])}+{len(rows[('strongroom', case)])} "
              f"| {errors[('openbao', case)]}+{errors[('strongroom', case)]} |")
    if {"userpass_login", "approle_login"} <= set(cases):
        for label in ("openbao", "strongroom"):
            if (label, "userpass_login") in rows and (label, "approle_login") in rows:
                hashed = med(label, "userpass_login", 9) - med(label, "approle_login", 9)
                print(f"# {label}: userpass minus approle = {hashed:.1f} CPU ms per login (the password hash)")
    revokes = [int(r[12]) for group in rows.values() for r in group]
    if revokes:
        print(f"# revoke-prefix after each run (outside the timed window): median {statistics.median(revokes):.0f} ms")


if __name__ == "__main__":
    main()
