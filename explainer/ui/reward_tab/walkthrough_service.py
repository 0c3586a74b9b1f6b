"""The Reward model's training service with one more command, for the guided walkthrough."""
from __future__ import annotations

from .worker import TrainingService


class WalkthroughTrainingService(TrainingService):
    def sync(self, token: int) -> None:
        """Answer `token`: every command sent before this one has been handled."""
        self.emit("synced", token)
