"""Training-process stand-ins for tests of `TrainingProcess` (no Qt: the child imports them)."""
import sys

from explainer.training.reward_service import RewardService
from explainer.training.rlhf_service import RLHFService  # noqa: F401 - the child imports it too
from explainer.training.service import Service
from explainer.training.sweep_service import SweepService  # noqa: F401 - the child imports it too


class EchoService(Service):
    """big(n): send n bytes back; take(payload): say how many bytes arrived."""

    MESSAGES = {**Service.MESSAGES, "big": "n bytes", "took": "how many bytes arrived"}

    def big(self, n: int) -> None:
        self.emit("big", b"x" * n)

    def take(self, payload: bytes) -> None:
        self.emit("took", len(payload))


class RewardServiceModules(RewardService):
    """The Reward model's service, and a command that says which modules its process imported."""

    MESSAGES = {**RewardService.MESSAGES, "modules": "the names in the child's sys.modules"}

    def modules(self) -> None:
        self.emit("modules", sorted(sys.modules))
