"""The RLHF training service with the guided walkthrough's commands: a sync token, and a
checkpoint of stage 3 kept after each step so Back shows an earlier step at once
(`core.pipeline_checkpoints`)."""
from __future__ import annotations

from ...core.pipeline_checkpoints import capture, restore
from ...core.rlhf_settings import DEFAULT_SEED
from .worker import RLHFService


class WalkthroughRLHFService(RLHFService):
    def __init__(self, emit, seed: int = DEFAULT_SEED) -> None:
        super().__init__(emit, seed)
        self._checkpoints: dict[int, object] = {}
        self._update_start = None   # stage 3 when the newest update began (see capture)
        self._first_pipeline = None  # the Reward model built first, on the shipped rankings

    def warm_up(self) -> None:
        super().warm_up()
        if self._first_pipeline is None and self.session is not None:
            self._first_pipeline = self.session.pipeline

    def start_lesson(self, seed: int) -> None:
        """A walkthrough's start, however often it is started: the Reward model trained on the
        shipped rankings (not one a fix retrained since), the default settings, a fresh Policy."""
        from ...core.rlhf_settings import DEFAULTS
        session = self._ensure()
        self.pause()
        session.pipeline = self._first_pipeline
        session.sft_model = None   # stage 1 not run yet: the pipeline's (same, seeded) SFT model
        session.seed = int(seed)
        session.settings = dict(DEFAULTS)
        session.start_run()
        self.emit("settings", dict(session.settings))
        self._emit_run_state()

    def sync(self, token: int) -> None:
        """Answer `token`: every command sent before this one has been handled."""
        self.emit("synced", token)

    def step(self) -> None:
        session = self._ensure()
        run = session.run
        if not self._running and run._work is None and run.at_end:   # an update begins
            self._update_start = capture(session)
        super().step()

    def checkpoint(self, key: int) -> None:
        """Keep stage 3 as it is now under `key` (a step's index); later steps' are forgotten."""
        session = self._ensure()
        self._checkpoints = {k: v for k, v in self._checkpoints.items() if k < key}
        self._checkpoints[key] = capture(session, self._update_start)

    def restore(self, key: int) -> None:
        """Stage 3 as it was at checkpoint `key`; the views are sent its record, plots, settings."""
        session = self._ensure()
        self.pause()
        if key not in self._checkpoints:
            raise KeyError(f"no checkpoint for step {key + 1}")
        restore(session, self._checkpoints[key])
        self.emit("settings", dict(session.settings))
        self._emit_run_state()
