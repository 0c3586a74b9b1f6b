"""Lesson 1: reinforcement learning with no network. The Policy is one number, p = P('Squatch's).

    guess   the Agent draws u; u ≤ p → 'Squatch's, otherwise Norm's
    reward  the Environment serves a large or small order; more fries are better, so a large order at
            'Squatch's or a small one at Norm's is evidence for 'Squatch's (target 1), else target 0
    update  p ← p + learning rate × (target − p)
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from explainer.core.common.checks import seed_number
from explainer.core.common.draws import episode_draws
from explainer.core.fries.environment import LARGE, NORM, SMALL, SQUATCH
from explainer.core.common.stable import require_finite
from explainer.core.common.stepper import Stepper, check_room, logged

PHASES = ("guess", "reward", "update")


@dataclass(frozen=True, slots=True)
class EssentialsRecord:
    phase: str
    episode: int
    learning_rate: float
    p_squatch: float          # the Policy before this visit
    p_norm: float
    u: float
    action: str
    v: float | None = None
    p_large: float | None = None
    outcome: str | None = None
    target: float | None = None   # 1: evidence for 'Squatch's, 0: evidence for Norm's
    reward: float | None = None   # +1 when the evidence agrees with the visit, −1 when not
    step: float | None = None     # learning rate × (target − p)
    p_squatch_after: float | None = None

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.phase)


def target_for(action: str, outcome: str) -> float:
    return 1.0 if (action == SQUATCH) == (outcome == LARGE) else 0.0


def compute_visit(episode: int, p: float, u: float, v: float, learning_rate: float,
                  p_large_norm: float, p_large_squatch: float,
                  action: str | None = None, outcome: str | None = None) -> tuple[EssentialsRecord, ...]:
    if action is None:
        action = SQUATCH if u <= p else NORM
    guess = EssentialsRecord("guess", episode, learning_rate, p, 1.0 - p, u, action)
    p_large = p_large_squatch if action == SQUATCH else p_large_norm
    if outcome is None:
        outcome = LARGE if v < p_large else SMALL
    target = target_for(action, outcome)
    went_right = target == (1.0 if action == SQUATCH else 0.0)
    rewarded = replace(guess, phase="reward", v=v, p_large=p_large, outcome=outcome,
                       target=target, reward=1.0 if went_right else -1.0)
    step = learning_rate * (target - p)
    update = replace(rewarded, phase="update", step=step, p_squatch_after=min(max(p + step, 0.0), 1.0))
    return guess, rewarded, update


class EssentialsRun(Stepper[EssentialsRecord]):
    """The first video's notebook: p starts at 0.5, learning rate 0.1, large orders 80 % / 15 %."""

    phases = PHASES
    settable = ("learning_rate", "p_squatch", "p_large_norm", "p_large_squatch", "seed")
    episode_calls = ("visit",)

    def __init__(self, seed: int = 0, learning_rate: float = 0.1, p_squatch: float = 0.5,
                 p_large_norm: float = 0.8, p_large_squatch: float = 0.15) -> None:
        super().__init__()
        self.seed = seed_number(seed)
        self.learning_rate = require_finite("learning rate", learning_rate, 0.0, 1.0)
        self.initial_p = require_finite("P('Squatch's)", p_squatch, 0.0, 1.0)
        self.p_large_norm = require_finite("P(large | Norm's)", p_large_norm, 0.0, 1.0)
        self.p_large_squatch = require_finite("P(large | 'Squatch's)", p_large_squatch, 0.0, 1.0)
        self._scripts: dict[int, tuple[str | None, str | None, float | None]] = {}
        self.init_args = {"seed": self.seed, "learning_rate": self.learning_rate,
                          "p_squatch": self.initial_p, "p_large_norm": self.p_large_norm,
                          "p_large_squatch": self.p_large_squatch}
        self.reset()
        self.log.clear()

    @logged
    def reset(self) -> None:
        super().reset()
        self._pending: list[EssentialsRecord] = []
        self.p = self.initial_p
        self.p_history: list[float] = []   # p after each completed visit
        self.visits: list[str] = []

    @property
    def episodes_done(self) -> int:
        return len(self.p_history)

    def _draws(self, episode: int) -> tuple[float, float]:
        _, u, v = episode_draws(self.seed, episode, 1)[:, 0]
        return float(u), float(v)

    def _compute(self, episode: int, p: float) -> tuple[EssentialsRecord, ...]:
        u, v = self._draws(episode)
        action, outcome, forced_u = self._scripts.get(episode, (None, None, None))
        u = forced_u if forced_u is not None else u
        return compute_visit(episode, p, u, v, self.learning_rate, self.p_large_norm,
                             self.p_large_squatch, action, outcome)

    def _compute_next(self) -> EssentialsRecord:
        if not self._pending:
            self._pending = list(self._compute(self.episodes_done, self.p))
        record = self._pending.pop(0)
        if record.phase == "update":
            self.p = record.p_squatch_after
            self.p_history.append(self.p)
            self.visits.append(record.action)
        return record

    @logged
    def visit(self, action: str | None = None, outcome: str | None = None,
              u: float | None = None) -> tuple[EssentialsRecord, ...]:
        """One whole visit; a given action / outcome / u replaces the random draw (for the video's)."""
        if action not in (None, NORM, SQUATCH) or outcome not in (None, LARGE, SMALL):
            raise ValueError("action must be 'norm'/'squatch' and outcome 'large'/'small'")
        self._finish_computed()
        self._scripts[self.episodes_done] = (action, outcome,
                                             None if u is None else require_finite("u", u, 0.0, 1.0))
        return self._step_episode()

    @logged
    def set(self, **params) -> EssentialsRecord | None:
        """Change learning_rate, p_squatch, p_large_norm, p_large_squatch or seed."""
        limits = {"learning_rate": "learning rate", "p_squatch": "P('Squatch's)",
                  "p_large_norm": "P(large | Norm's)", "p_large_squatch": "P(large | 'Squatch's)"}
        unknown = set(params) - set(self.settable)
        if unknown:
            raise ValueError(f"unknown parameter(s): {sorted(unknown)}")
        checked = {k: require_finite(limits[k], v, 0.0, 1.0) for k, v in params.items() if k in limits}
        for key in ("learning_rate", "p_large_norm", "p_large_squatch"):
            if key in checked:
                setattr(self, key, checked[key])
        shown = self.current
        if "seed" in params or shown is None:
            self.seed = seed_number(params.get("seed", self.seed))
            self.initial_p = checked.get("p_squatch", self.initial_p)
            self._scripts.clear()
            self.reset()
            return None
        first = self.cursor - shown.phase_index
        del self.history[first:]
        del self.p_history[shown.episode:], self.visits[shown.episode:]
        self.p = checked.get("p_squatch", shown.p_squatch)
        self._pending = list(self._compute(shown.episode, self.p))
        self.cursor = first - 1
        for _ in range(shown.phase_index + 1):
            self.step()
        return self.current

    @logged
    def fast_forward(self, n: int) -> np.ndarray:
        """n more visits; returns p after each."""
        n = check_room(self.episodes_done, n)
        self._finish_computed()
        start, n = len(self.p_history), int(n)
        if n <= 0:
            return np.zeros(0)
        if n > 1:
            _, us, vs = episode_draws(self.seed, start, n - 1)
            ps, visits = _visits(us.tolist(), vs.tolist(), self.p, self.learning_rate,
                                 self.p_large_norm, self.p_large_squatch)
            self.p_history.extend(ps)
            self.visits.extend(visits)
            self.p = ps[-1]
        # The newest visit is stepped phase by phase, so the screen shows it, not one from
        # before the run (the same arithmetic: compute_visit is what _visits repeats).
        self._step_episode()
        return np.asarray(self.p_history[start:])


def _visits(us, vs, p, lr, pln, pls) -> tuple[list[float], list[str]]:
    """compute_visit's arithmetic without records, for many visits at once."""
    ps, visits = [], []
    for u, v in zip(us, vs):
        if u <= p:  # 'Squatch's: a large order is evidence for it
            target = 1.0 if v < pls else 0.0
            visits.append(SQUATCH)
        else:       # Norm's: a small order is evidence for 'Squatch's
            target = 0.0 if v < pln else 1.0
            visits.append(NORM)
        p = min(max(p + lr * (target - p), 0.0), 1.0)
        ps.append(p)
    return ps, visits
