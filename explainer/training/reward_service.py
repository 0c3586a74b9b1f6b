"""Tab 3's training service: the Reward model and its trainer, in the training process.

It owns the core `RewardSession` (torch is imported only here) and answers with immutable
`RewardSnapshot`s: about five a second while training, one after every command that changes what
is shown. Once the model exists it sends its `manifest`, so the window checks saved weights
without torch; `load_state` puts a checked saved state in place instead of training again.
"""
from __future__ import annotations

import time
import traceback

from ..core.language.reward_training import DEFAULT_LEARNING_RATE, RewardSession
from .service import Service


class RewardService(Service):
    MESSAGES = {
        **Service.MESSAGES,
        "ready": "None: the Reward model exists (torch is warm)",
        "manifest": "the model's tensor names and shapes",
        "snapshot": "a RewardSnapshot: rewards, pairs, loss history, probe",
    }

    def __init__(self, emit, feedback, learning_rate: float = DEFAULT_LEARNING_RATE,
                 optimizer: str = "adam") -> None:
        super().__init__(emit)
        self.session = RewardSession(feedback, learning_rate=learning_rate, optimizer=optimizer)

    # --- commands --------------------------------------------------------------------------------
    def warm_up(self) -> None:
        self.session.ensure_model()
        self.emit("ready")
        self.emit("manifest", self.session.manifest())
        self._send_progress()

    def load_state(self, state) -> None:
        """A saved state in place of the current one; no training step runs."""
        self.pause()
        self.session.import_state(state)
        self._send_progress()

    def reset(self) -> None:
        self.pause()
        self.session.reset()
        self._send_progress()

    def set_feedback(self, feedback) -> None:
        self.session.set_feedback(feedback)
        self._send_progress()

    def set_learning_rate(self, learning_rate: float) -> None:
        self.session.set_learning_rate(learning_rate)

    def set_optimizer(self, optimizer: str) -> None:
        self.session.set_optimizer(optimizer)

    def set_probe(self, prompt_id, text: str) -> None:
        self.session.set_probe(prompt_id, text)
        self._send_progress()

    # --- training --------------------------------------------------------------------------------
    def _step(self) -> bool:
        return self.session.train(1) != 0   # 0: no training pairs

    def _send_progress(self) -> None:
        """The snapshot; a failure to build one is shown, and training state stays sane."""
        if not self.session.ready:
            return
        self._last_sent = time.perf_counter()
        try:
            snapshot = self.session.snapshot()
        except Exception as error:  # noqa: BLE001 - shown on screen
            traceback.print_exc()
            self.emit("failed", f"{type(error).__name__}: {error}")
            return
        self.emit("snapshot", snapshot)
