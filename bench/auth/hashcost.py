#!/usr/bin/env python3
"""Prints the Argon2id parameters Strongroom's userpass would use in this environment and the CPU time of one
verification with them (median of 15, one thread): the hashing cost behind a userpass login."""

from __future__ import annotations

import statistics
import time

import strongroom.crypto.passwords as passwords


def main() -> None:
    params = passwords.DEFAULT_PARAMS
    encoded = passwords.hash_password("bench-password-0123456789abcdef", params)
    times = []
    for _ in range(15):
        start = time.process_time()
        assert passwords.verify_password("bench-password-0123456789abcdef", encoded)
        times.append((time.process_time() - start) * 1000)
    print(f"Argon2id m={params.memory_kib} KiB t={params.iterations} p={params.lanes}: "
          f"{statistics.median(times):.1f} CPU ms per verification")


if __name__ == "__main__":
    main()
