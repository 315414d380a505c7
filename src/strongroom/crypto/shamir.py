"""Shamir secret sharing over GF(2^8), byte by byte.

A share is `y-bytes || x` (the x-coordinate appended as one tag byte), as in Vault, so a 32-byte key gives
33-byte shares. Field arithmetic is branch-free and table-free: no secret-indexed lookups (cf. CVE-2023-25000,
where log/exp tables leaked through cache timing). Coefficients come from the OS CSPRNG.
"""

from __future__ import annotations

import os
import secrets


class ShamirError(ValueError):
    """Invalid parameters or shares."""


def _mul(a: int, b: int) -> int:
    """Multiply in GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1, in constant time."""
    product = 0
    for _ in range(8):
        product ^= -(b & 1) & a
        carry = -((a >> 7) & 1) & 0x1B
        a = ((a << 1) & 0xFF) ^ carry
        b >>= 1
    return product & 0xFF


def _inverse(a: int) -> int:
    """a^254 = a^-1 (square-and-multiply over a fixed exponent, so no data-dependent branches)."""
    result = 1
    base = a
    for bit in (0, 1, 1, 1, 1, 1, 1, 1):  # 254 = 0b11111110, least significant bit first
        if bit:
            result = _mul(result, base)
        base = _mul(base, base)
    return result


def _evaluate(coefficients: list[int], x: int) -> int:
    """Horner's rule; coefficients[0] is the secret byte."""
    result = 0
    for coefficient in reversed(coefficients):
        result = _mul(result, x) ^ coefficient
    return result


def split(secret: bytes, shares: int, threshold: int) -> list[bytes]:
    if not secret:
        raise ShamirError("cannot split an empty secret")
    if not 2 <= threshold <= shares <= 255:
        raise ShamirError("need 2 <= threshold <= shares <= 255")
    xs = _distinct_nonzero_xs(shares)
    rows = [bytearray(len(secret)) for _ in xs]
    for index, byte in enumerate(secret):
        coefficients = [byte, *os.urandom(threshold - 1)]
        for row, x in zip(rows, xs, strict=True):
            row[index] = _evaluate(coefficients, x)
    return [bytes(row) + bytes([x]) for row, x in zip(rows, xs, strict=True)]


def _distinct_nonzero_xs(count: int) -> list[int]:
    candidates = list(range(1, 256))
    chosen: list[int] = []
    for _ in range(count):
        chosen.append(candidates.pop(secrets.randbelow(len(candidates))))
    return chosen


def combine(parts: list[bytes]) -> bytes:
    """Lagrange interpolation at x = 0. Any `threshold` distinct shares give back the secret."""
    if len(parts) < 2:
        raise ShamirError("less than two shares cannot be combined")
    length = len(parts[0])
    if length < 2 or any(len(part) != length for part in parts):
        raise ShamirError("all shares must have the same length")
    xs = [part[-1] for part in parts]
    if len(set(xs)) != len(xs) or 0 in xs:
        raise ShamirError("duplicate or invalid share")
    secret = bytearray(length - 1)
    for i, (part, xi) in enumerate(zip(parts, xs, strict=True)):
        basis = 1
        for j, xj in enumerate(xs):
            if i != j:
                basis = _mul(basis, _mul(xj, _inverse(xi ^ xj)))
        for index in range(length - 1):
            secret[index] ^= _mul(part[index], basis)
    return bytes(secret)
