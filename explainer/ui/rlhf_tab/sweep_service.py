"""The over-optimisation sweep's own process (no Qt here: the child imports only the core).

It runs beside the training process, so the lesson's run and the sweep never wait for each other.
Commands: start(seed, betas, updates), cancel(). Messages: sweep (the `Sweep` so far, after every point), done
(the whole `Sweep`), busy (what it is doing, "" when done).
"""
from __future__ import annotations

from ...core.overoptimisation import SWEEP_BETAS, SWEEP_UPDATES, Sweep, sweep_points


class SweepService:
    def __init__(self, emit) -> None:
        self.emit = emit
        self._points = None     # the running sweep's generator
        self._sweep = None      # its points so far
        self._betas, self._updates = SWEEP_BETAS, SWEEP_UPDATES

    def start(self, seed: int, betas=SWEEP_BETAS, updates: int = SWEEP_UPDATES) -> None:
        from ...core.language_model import use_one_thread
        use_one_thread()
        self._betas, self._updates = tuple(float(b) for b in betas), int(updates)
        self._points = sweep_points(int(seed), betas=self._betas, updates=self._updates)
        self._sweep = Sweep(int(seed), self._updates, ())
        self.emit("busy", "Building the fine-tuned model and the Reward model…")

    def cancel(self) -> None:
        self._points = None
        self.emit("busy", "")

    def pending(self) -> bool:
        return self._points is not None

    def work(self) -> None:
        """One point: one run of policy optimisation (a few seconds)."""
        point = next(self._points, None)
        if point is None:
            self._points = None
            self.emit("busy", "")
            self.emit("done", self._sweep)
            return
        s = self._sweep
        self._sweep = Sweep(s.seed, s.updates, s.points + (point,))
        self.emit("sweep", self._sweep)
        left = len(self._betas) + 1 - len(self._sweep.points)
        self.emit("busy", f"Running β = {self._betas[-left]:g} ({left} runs left)…" if left else
                  "Finishing…")
