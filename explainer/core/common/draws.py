"""The random draws of a seeded run, per episode: rows x (hunger), u (the Agent's draw) and
v (the Environment's draw). They come in seeded blocks, so stepping one episode at a time and
fast-forwarding a million see exactly the same numbers, and any episode's draws are found without
replaying the ones before it."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

_BLOCK = 65536


@lru_cache(maxsize=8)
def _draw_block(seed: int, block: int) -> np.ndarray:
    """Rows x, u, v for episodes block·_BLOCK … (block+1)·_BLOCK − 1."""
    return np.random.default_rng([seed, block]).random((3, _BLOCK))


def episode_draws(seed: int, start: int, n: int) -> np.ndarray:
    """The (3, n) uniform draws x, u, v of episodes start … start + n − 1."""
    first, last = start // _BLOCK, (start + n - 1) // _BLOCK
    offset = start - first * _BLOCK
    if first == last:  # the common case (one episode): a view, no copy of the whole block
        return _draw_block(seed, first)[:, offset:offset + n]
    blocks = np.concatenate([_draw_block(seed, b) for b in range(first, last + 1)], axis=1)
    return blocks[:, offset:offset + n]


