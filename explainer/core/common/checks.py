"""Checks of numbers that come from files and the keyboard, in one place.

`math.isfinite(10**400)` raises OverflowError and `int(float("inf"))` too; a number from a file
must instead be refused with a message (ValueError or the loader's own error), never crash.
"""
from __future__ import annotations

import math
import numbers


def is_finite_number(value) -> bool:
    """A real number (not a bool) that fits a float and is finite."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:   # an int too large for a float
        return False


def brief(value) -> str:
    """value as a message quotes it: a 400-digit number is not one clear sentence."""
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "…"


def whole_number(name: str, value, low: int, high: int) -> int:
    """value as an int in [low, high]: an int, or a float with no fractional part; else ValueError."""
    if isinstance(value, float) and is_finite_number(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not low <= int(value) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {brief(value)}")
    return int(value)


MAX_SEED = 2**32 - 1   # numpy's and torch's generators take any of these


def seed_number(value) -> int:
    return whole_number("seed", value, 0, MAX_SEED)
