"""A saved torch CPU random generator state, checked with numpy the way torch checks it when it is
set (`CPUGeneratorImpl::set_state`), and a little stricter: a window that never imports torch can
then refuse a bad one before anything changes, not after the run was replaced.

The state is the bytes of torch's `CPUGeneratorImplState` (5,056 on 64-bit builds):

    uint64 initial seed · int32 left · int32 seeded · uint64 next · uint64 state[624]
    double normal_x, normal_y, normal_rho · int32 normal_is_valid · (pad) ·
    float next_float_normal_sample · bool its validity · (pad)

torch refuses a state unless seeded ≠ 0, 1 ≤ left ≤ 624 and next ≤ 624; it keeps only the low 32
bits of each state word, and a cached normal sample is used as it is (NaN would come out as a
draw). Here the words must fit 32 bits, not all be zero (Mersenne Twister then draws only 0), the
flags must be 0 or 1 and a cached sample must be finite.
"""
from __future__ import annotations

import numpy as np

N = 624   # Mersenne Twister's state words
SIZE = 5056
LAYOUT = np.dtype({"names": ["seed", "left", "seeded", "next", "state", "normal_x", "normal_y",
                             "normal_rho", "normal_valid", "float_normal", "float_valid"],
                   "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", (N,)), "<f8", "<f8", "<f8",
                               "<i4", "<f4", "u1"],
                   "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
                   "itemsize": SIZE})


def generator_state_problem(raw: np.ndarray) -> str | None:
    """Why torch would refuse (or misuse) these uint8 bytes as a CPU generator state; None if
    they are fine. Other sizes are not this layout: None (torch itself decides then)."""
    if raw.dtype != np.uint8 or raw.shape != (SIZE,):
        return None
    s = raw.view(LAYOUT)[0]
    if s["seeded"] == 0 or not 1 <= s["left"] <= N or s["next"] > N:
        return "it is not a valid Mersenne Twister state (position out of range)"
    if (s["state"] >> np.uint64(32)).any() or not s["state"].any():
        return "its Mersenne Twister words are out of range"
    if s["normal_valid"] not in (0, 1) or s["float_valid"] not in (0, 1):
        return "its flags are not 0 or 1"
    if not np.isfinite([s["normal_x"], s["normal_y"], s["normal_rho"], s["float_normal"]]).all():
        return "it holds a value that is not finite"
    return None
