"""Rounding as a reader and Excel round: the one rule for every number shown and every tie between
shown numbers (present/fmt.py formats with it, reform/compare.py ranks on it)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rounded(x: float, decimals: int = 0) -> Decimal:
    """x rounded halves away from zero, on the shortest decimal that reads back as x (2.5 -> 3,
    0.125 -> 0.13, 1.005 -> 1.01), where Python's format rounds a binary half to even and 1.005 down.
    A value that rounds to zero is 0, never -0."""
    r = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return r.copy_abs() if r.is_zero() else r
