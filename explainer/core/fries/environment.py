"""The fries environment of the videos: where StatSquatch goes decides the order size he gets.

The environment, not the agent, owns the second random draw (large or small order) and the reward.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

from explainer.core.common.stable import require_finite

NORM, SQUATCH = "norm", "squatch"
LARGE, SMALL = "large", "small"

REWARD_LIMIT = 100.0


@dataclass(frozen=True)
class FriesEnvironment:
    """P(large order) at each place, what counts as hungry, and the two reward values."""

    p_large_norm: float = 0.8
    p_large_squatch: float = 0.2
    hungry_above: float = 0.5
    reward_fit: float = 1.0      # the order fits the hunger: hungry and large, or not hungry and small
    reward_misfit: float = -1.0  # it does not

    def __post_init__(self) -> None:
        for name in ("p_large_norm", "p_large_squatch", "hungry_above"):
            require_finite(name, getattr(self, name), 0.0, 1.0)
        for name in ("reward_fit", "reward_misfit"):
            require_finite(name, getattr(self, name), -REWARD_LIMIT, REWARD_LIMIT)

    def p_large(self, action: str) -> float:
        return self.p_large_norm if action == NORM else self.p_large_squatch

    def outcome(self, action: str, v: float) -> str:
        """The environment's draw v in [0, 1): a large order when v < P(large | place)."""
        return LARGE if v < self.p_large(action) else SMALL

    def is_hungry(self, x: float) -> bool:
        return x > self.hungry_above

    def fits(self, x: float, outcome: str) -> bool:
        return self.is_hungry(x) == (outcome == LARGE)

    def reward(self, x: float, outcome: str) -> float:
        return self.reward_fit if self.fits(x, outcome) else self.reward_misfit

    def with_values(self, **changes: float) -> "FriesEnvironment":
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown environment setting(s): {sorted(unknown)}")
        return replace(self, **changes)
