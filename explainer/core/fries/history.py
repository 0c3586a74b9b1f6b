"""A history of phase records that stores only what made each episode, not its records.

Four records of ~45 numbers per episode cost ~1.9 KB; the inputs that produced them cost ~0.2 KB,
and rebuilding an episode's records from them is a pure, ~20 µs computation. So the history keeps
the inputs, rebuilds records on demand, and caches the few episodes being looked at.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

R = TypeVar("R")
CACHED_EPISODES = 64


class CompactHistory(Sequence, Generic[R]):
    """Behaves like the list of revealed records: len, [i], append, del [k:], clear."""

    def __init__(self, phases: int, build: Callable[[Any], tuple[R, ...]]) -> None:
        self._phases, self._build = phases, build
        self._inputs: list[Any] = []
        self._revealed = 0  # records shown so far of the last episode
        self._cache: OrderedDict[int, tuple[R, ...]] = OrderedDict()
        self._pending_inputs: Any = None

    def expect(self, inputs: Any, records: tuple[R, ...]) -> None:
        """Register the inputs (and already-built records) of the episode about to be appended."""
        self._pending_inputs = inputs
        self._cache_put(len(self._inputs), records)

    def append(self, record: R) -> None:
        if self._revealed in (0, self._phases):
            self._inputs.append(self._pending_inputs)
            self._revealed = 1
        else:
            self._revealed += 1

    def __len__(self) -> int:
        return 0 if not self._inputs else (len(self._inputs) - 1) * self._phases + self._revealed

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("history index out of range")
        episode, phase = divmod(index, self._phases)
        return self._records(episode)[phase]

    def __delitem__(self, index: slice) -> None:
        start = index.indices(len(self))[0] if isinstance(index, slice) else index
        if index.stop is not None or index.step not in (None, 1):
            raise ValueError("only the tail of a history can be dropped")
        if start >= len(self):
            return
        episode, phase = divmod(start, self._phases)
        keep = episode + (phase > 0)
        del self._inputs[keep:]
        self._revealed = phase if phase else (self._phases if self._inputs else 0)
        for key in [k for k in self._cache if k >= keep]:  # records of dropped episodes
            del self._cache[key]

    def clear(self) -> None:
        self._inputs.clear()
        self._revealed = 0
        self._cache.clear()

    def _records(self, episode: int) -> tuple[R, ...]:
        if episode in self._cache:
            self._cache.move_to_end(episode)
            return self._cache[episode]
        records = self._build(self._inputs[episode])
        self._cache_put(episode, records)
        return records

    def _cache_put(self, episode: int, records: tuple[R, ...]) -> None:
        self._cache[episode] = records
        self._cache.move_to_end(episode)
        while len(self._cache) > CACHED_EPISODES:
            self._cache.popitem(last=False)
