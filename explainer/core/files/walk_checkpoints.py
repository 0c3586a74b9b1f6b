"""Copies of a walkthrough's run after some of its steps, so showing step k replays only the steps
since the nearest copy kept, never the lesson from its start (a step of 50,000 episodes made every
Next take 4–8 s when each step was rebuilt from the start).

Kept: the run after every `every`-th step (at most MAX_SPACED copies over the whole lesson, so
memory stays a small multiple of one run's), and after the last RECENT steps shown, so Next replays
one step and Back none. A copy is handed out, never a kept run: the lecturer may go on stepping the
run shown, and the checkpoint must stay as the lesson left it.
"""
from __future__ import annotations

import copy
import math
from collections import OrderedDict

MAX_SPACED = 16
RECENT = 3


class Checkpoints:
    def __init__(self, steps: int) -> None:
        self.every = max(1, math.ceil(steps / MAX_SPACED))
        self._spaced: dict[int, object] = {}
        self._recent: OrderedDict[int, object] = OrderedDict()

    def nearest(self, index: int) -> tuple[int, object | None]:
        """(k, a copy of the run after step k) for the kept k ≤ index nearest to it; (-1, None)
        if none is kept: the lesson starts from its first step."""
        kept = [k for k in (*self._spaced, *self._recent) if k <= index]
        if not kept:
            return -1, None
        k = max(kept)
        run = self._recent.get(k, self._spaced.get(k))
        return k, copy.deepcopy(run)

    def passed(self, index: int, run) -> None:
        """The run just replayed step `index` (on the way to the step asked for)."""
        if index % self.every == 0 and index not in self._spaced:
            self._spaced[index] = copy.deepcopy(run)

    def shown(self, index: int, run) -> None:
        """Step `index` is about to be shown with `run` (which may change from now on)."""
        self._recent[index] = self._spaced[index] if index in self._spaced else copy.deepcopy(run)
        self._recent.move_to_end(index)
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
