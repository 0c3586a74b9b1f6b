"""The over-optimisation sweep's service, in a process of its own beside tab 4's training process,
so the lesson's run and the sweep never wait for each other. Each training step is one point: one
run of policy optimisation at one β (a few seconds)."""
from __future__ import annotations

from ..core.rlhf.overoptimisation import SWEEP_BETAS, SWEEP_UPDATES, Sweep, sweep_points
from .service import Service


class SweepService(Service):
    MESSAGES = {
        **Service.MESSAGES,
        "sweep": "the Sweep so far, after every point",
        "done": "the whole Sweep (the points so far if a run failed)",
        "busy": "text: what it is doing; \"\" when done or cancelled",
    }

    def __init__(self, emit) -> None:
        super().__init__(emit)
        self._points = None      # the running sweep's generator
        self._sweep = None       # its points so far
        self._cancelled = False
        self._betas, self._updates = SWEEP_BETAS, SWEEP_UPDATES

    def start(self, seed: int, betas=SWEEP_BETAS, updates: int = SWEEP_UPDATES) -> None:
        from ..core.language.language_model import use_one_thread
        use_one_thread()
        self._betas, self._updates = tuple(float(b) for b in betas), int(updates)
        self._points = sweep_points(int(seed), betas=self._betas, updates=self._updates)
        self._sweep = Sweep(int(seed), self._updates, ())
        self._cancelled = False
        self.emit("busy", "Building the fine-tuned model and the Reward model…")
        self.train(len(self._betas) + 1)   # the fine-tuned model's point, then one per β

    def cancel(self) -> None:
        self._cancelled = True
        self.pause()

    def _step(self) -> bool:
        point = next(self._points, None)
        if point is None:
            return False
        s = self._sweep
        self._sweep = Sweep(s.seed, s.updates, s.points + (point,))
        self.emit("sweep", self._sweep)
        left = len(self._betas) + 1 - len(self._sweep.points)
        self.emit("busy", f"Running β = {self._betas[-left]:g} ({left} runs left)…" if left else
                  "Finishing…")
        return True

    def _send_last(self) -> None:
        self._points = None
        self.emit("busy", "")
        if not self._cancelled:
            self.emit("done", self._sweep)
