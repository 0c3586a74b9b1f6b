"""Reward over-optimisation, measured as Gao, Schulman and Hilton (2022) measure it.

    sweep(seed)        one policy-optimisation run per KL coefficient β, strong to none: for each,
                       the learned reward, the true score and the KL to the reference, on the
                       evaluation prompts
    gao_fit(d, gain)   the paper's fitted form, gain(d) = d (α − β_fit log d), d = √KL

The paper plots the "gold" reward (here: the ground truth, what people want) and the proxy reward
(here: the Reward model) against d = √KL(policy ‖ reference). The proxy keeps rising; the gold
rises, peaks and falls: optimising a learned reward too hard makes answers worse. Their RL fit is
R(d) = d (α − β log d), with R the gain over the starting policy, which is 0 at d = 0.

The paper moves along d with checkpoints of one run; here the Reward-hacking preset's run (β = 0)
jumps to a large d within a few updates, too fast to see, so d is moved by β instead: the same
preset with β from 1 down to 0 (the paper found the KL penalty acts like stopping early, which is
what a smaller d is). Every number a view draws of
it comes from the `Sweep` record.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from explainer.core.rlhf.settings import DEFAULT_SEED

SWEEP_BETAS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.0)   # strong to none: d grows
SWEEP_UPDATES = 200         # as the lesson's runs
SWEEP_SAMPLES = 4           # answers to each evaluation prompt per run


@dataclass(frozen=True)
class GaoFit:
    """gain(d) = d (alpha − beta log d): the gain over the starting policy at d = √KL."""
    alpha: float
    beta: float

    def __call__(self, d: float) -> float:
        return 0.0 if d <= 0 else d * (self.alpha - self.beta * math.log(d))

    def curve(self, d_max: float, n: int = 120) -> tuple[list[float], list[float]]:
        """The fitted gain at n values of d from 0 to d_max, for drawing."""
        ds = [d_max * k / (n - 1) for k in range(n)]
        return ds, [self(d) for d in ds]

    @property
    def peak(self) -> float:
        """Where the gain is largest (d = e^(α/β − 1)), or inf if it never turns (β ≤ 0)."""
        return math.exp(self.alpha / self.beta - 1.0) if self.beta > 0 else math.inf


def gao_fit(d, gain) -> GaoFit:
    """Least squares of gain = α d − β d log d over the points with d > 0 (linear in α, β)."""
    d, gain = np.asarray(d, dtype=float), np.asarray(gain, dtype=float)
    keep = (d > 0) & np.isfinite(d) & np.isfinite(gain)
    if keep.sum() < 2:
        return GaoFit(math.nan, math.nan)
    d, gain = d[keep], gain[keep]
    design = np.stack([d, -d * np.log(d)], axis=1)
    (alpha, beta), *_ = np.linalg.lstsq(design, gain, rcond=None)
    return GaoFit(float(alpha), float(beta))


@dataclass(frozen=True)
class SweepPoint:
    beta: float             # the run's KL coefficient (nan: the starting policy)
    kl: float               # mean KL(policy ‖ reference) of answers to the evaluation prompts
    reward: float           # their mean learned reward
    true_score: float       # their mean true score

    @property
    def d(self) -> float:
        """√KL, the paper's x axis (a negative estimate from few samples counts as 0)."""
        return math.sqrt(max(self.kl, 0.0))


@dataclass(frozen=True)
class Sweep:
    seed: int
    updates: int                      # policy updates of every run
    points: tuple[SweepPoint, ...]    # the first is the starting policy, then one per β

    @property
    def d(self) -> list[float]:
        return [p.d for p in self.points]

    def gains(self, what: str) -> list[float]:
        """what ("true_score" or "reward") at each point minus its value at the start."""
        start = getattr(self.points[0], what)
        return [getattr(p, what) - start for p in self.points]

    def fit(self, what: str) -> GaoFit:
        return gao_fit(self.d, self.gains(what))

    @property
    def best(self) -> SweepPoint:
        """The run people would have liked best."""
        return max(self.points, key=lambda p: p.true_score)


def sweep_points(seed: int = DEFAULT_SEED, pipeline=None, betas=SWEEP_BETAS,
                 updates: int = SWEEP_UPDATES, samples: int = SWEEP_SAMPLES,
                 **settings) -> Iterator[SweepPoint]:
    """The sweep's points one at a time (each is one run: a few seconds): the starting policy,
    then one run of `updates` updates per β, each measured on the evaluation prompts, which no
    stage trains on. The runs are the Reward-hacking preset's (its learning rate) with β put
    back, any setting overridden."""
    from explainer.core.rlhf.run import RLHFRun, build_pipeline
    pipeline = pipeline if pipeline is not None else build_pipeline(seed)
    for beta in (math.nan, *betas):
        run = RLHFRun.preset("hacking", pipeline=pipeline, seed=seed, **settings,
                             **({} if math.isnan(beta) else {"beta": float(beta)}))
        if not math.isnan(beta):
            run.train(updates)
        measured = run.evaluate(samples_per_prompt=samples)
        yield SweepPoint(beta, measured["kl"], measured["reward"], measured["true_score"])


def sweep(seed: int = DEFAULT_SEED, pipeline=None, betas=SWEEP_BETAS,
          updates: int = SWEEP_UPDATES, samples: int = SWEEP_SAMPLES, **settings) -> Sweep:
    """Every point of `sweep_points`, as one record."""
    points = sweep_points(seed, pipeline, betas, updates, samples, **settings)
    return Sweep(int(seed), int(updates), tuple(points))
