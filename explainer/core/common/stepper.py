"""History of phase records with a cursor: the screen shows history[cursor].

Next and Previous only move the cursor (stepping back shows an earlier record, it never undoes
arithmetic). Changing a parameter while an earlier record is shown drops the records after it and
recomputes the shown one: a new branch starts there.
"""
from __future__ import annotations

import functools
import inspect
from typing import Generic, TypeVar

from explainer.core.common.checks import brief, is_finite_number, whole_number

R = TypeVar("R")

# A run keeps every episode for its history plot (~64 bytes an episode); beyond this many,
# memory would grow without bound while the plot could not show more anyway.
MAX_EPISODES = 2_000_000


def check_room(done: int, n: int) -> int:
    """n as an int, if n more episodes fit in a run's history; else a message to act on."""
    n = whole_number("the number of episodes", n, 0, MAX_EPISODES)
    if done + n > MAX_EPISODES:
        raise ValueError(f"a run holds at most {MAX_EPISODES:,} episodes ({done:,} done): "
                         "reset to run more")
    return n


def logged(method):
    """Append a successful top-level call to `self.log`, so a run can be replayed exactly
    (sessions, exported code). Calls made from inside another logged call are not logged again."""
    names = [p.name for p in inspect.signature(method).parameters.values()
             if p.kind is p.POSITIONAL_OR_KEYWORD][1:]  # without self

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        self._depth += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            self._depth -= 1
        if self._depth == 0:  # positional arguments by name; a signature bind costs ~45 µs a step
            self._log_call(method.__name__, dict(zip(names, args)) | kwargs)
        return result
    takes_any = any(p.kind is p.VAR_KEYWORD for p in inspect.signature(method).parameters.values())
    wrapper.logged_args = None if takes_any else frozenset(names)   # None: the class's `settable`
    return wrapper


def operations(run_class: type) -> dict[str, frozenset[str]]:
    """The calls a run's log may hold and their argument names, read off its `@logged` methods
    (a method taking **params, like `set`, accepts the class's `settable` names): what sessions,
    walkthroughs and exported code may replay."""
    ops = {}
    for name in dir(run_class):
        method = getattr(run_class, name)
        if callable(method) and hasattr(method, "logged_args"):
            args = method.logged_args
            ops[name] = frozenset(run_class.settable) if args is None else args
    return ops


class Stepper(Generic[R]):
    """Subclasses define `phases` and `_compute(episode, phase_index)` returning a record."""

    phases: tuple[str, ...] = ()
    settable: tuple[str, ...] = ()   # the parameters `set(**params)` accepts, if it is logged
    episode_calls: tuple[str, ...] = ()   # logged calls that run a whole episode, all its phases

    def __init__(self) -> None:
        self.history: list[R] = []
        self.cursor = -1  # -1: nothing computed yet
        self.log: list[dict] = []  # the calls that made this state, for replay
        self._depth = 0

    def _log_call(self, op: str, args: dict) -> None:
        """Runs of the same call are merged: 40 steps are one entry, a slider drag one `set`, and
        a `set` repeating the one before (a seed set twice restarts the run once) is dropped."""
        last = self.log[-1] if self.log else None
        if last and last["op"] == op == "set" and last["args"] == args:
            return
        if last and last["op"] == op and op in ("step", "back"):
            last["count"] += 1
        elif last and last["op"] == op == "set" and "seed" not in args and "seed" not in last["args"]:
            last["args"].update(args)
        else:
            self.log.append({"op": op, "args": dict(args), "count": 1})

    def replay(self, log: list[dict]) -> None:
        """Repeat logged calls on this run (built with the same constructor arguments)."""
        for entry in log:
            method = getattr(self, entry["op"])
            for _ in range(int(entry.get("count", 1))):
                method(**entry.get("args", {}))

    # --- what is shown -------------------------------------------------------------------------
    @property
    def current(self) -> R | None:
        return self.history[self.cursor] if self.cursor >= 0 else None

    @property
    def at_end(self) -> bool:
        return self.cursor == len(self.history) - 1

    @property
    def completed_at_cursor(self) -> int:
        """Whole episodes done as of the shown record: a history plot never shows the future."""
        if self.at_end:
            return self.episodes_done
        shown = self.current
        return 0 if shown is None else shown.episode + (shown.phase == self.phases[-1])

    # --- moving ---------------------------------------------------------------------------------
    def _step_episode(self) -> tuple[R, ...]:
        """The next episode's phases, one step each (a record each on the history)."""
        return tuple(self.step() for _ in self.phases)

    @logged
    def step(self) -> R:
        """Advance one phase: replay a kept record, or compute the next one."""
        if not self.at_end:
            self.cursor += 1
            return self.history[self.cursor]
        record = self._compute_next()
        self.history.append(record)
        self.cursor += 1
        return record

    @logged
    def back(self) -> R | None:
        if self.cursor >= 0:
            self.cursor -= 1
        return self.current

    @logged
    def seek(self, cursor: int) -> R | None:
        if not is_finite_number(cursor):   # int(inf) would raise OverflowError
            raise ValueError(f"seek needs a whole number, got {brief(cursor)}")
        self.cursor = max(-1, min(int(cursor), len(self.history) - 1))
        return self.current

    def reset(self) -> None:
        self.history.clear()
        self.cursor = -1

    def _branch(self) -> None:
        """Forget the records after the shown one (a parameter changed there)."""
        del self.history[self.cursor + 1:]

    def _finish_computed(self) -> None:
        """Before new episodes: every computed one stays (the per-episode trace and the
        parameters are theirs) and the last is finished, whatever phase is shown. Cutting the
        history at an earlier shown phase left the trace with episodes the history no longer
        held: "Run episodes" from episode 1's Guess showed the newest episode's Guess, and
        episode 1's other phases never."""
        self.cursor = len(self.history) - 1
        while self._pending:
            self.step()

    def _compute_next(self) -> R:  # pragma: no cover - abstract
        raise NotImplementedError
