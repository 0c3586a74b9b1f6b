"""Reward over-optimisation: the Gao et al. fit by hand, and the sweep's story on seeds 0–4.

Measured on seeds 0–9 (β 1 … 0 at the hacking preset's learning rate, 200 updates each, 4
answers to each of the 27 evaluation prompts): the true score starts at 0.45, peaks at 0.58–0.70
at some β > 0 (√KL 2.3–3.2), and ends at 0.00–0.06 at β = 0 (√KL 4–19), where the learned reward
is higher than at the peak on every seed. The fit turns over (β_fit > 0) on 8 of 10.
"""
import math

import numpy as np
import pytest

from explainer.core.rlhf.overoptimisation import GaoFit, Sweep, SweepPoint, gao_fit, sweep

SEEDS = range(5)
NEEDED = 4


def test_the_fit_recovers_the_papers_form_from_exact_points():
    d = np.linspace(0.2, 6.0, 15)
    gain = d * (0.3 - 0.12 * np.log(d))
    fit = gao_fit(d, gain)
    assert (fit.alpha, fit.beta) == pytest.approx((0.3, 0.12), rel=1e-9)
    assert fit.peak == pytest.approx(math.exp(0.3 / 0.12 - 1))       # d (α − β log d)' = 0 there
    assert fit(fit.peak) == pytest.approx(0.12 * fit.peak)            # the peak's value: β d*
    assert fit(0.0) == 0.0
    xs, ys = fit.curve(6.0, n=4)
    assert xs == pytest.approx([0, 2, 4, 6]) and ys[2] == pytest.approx(4 * (0.3 - 0.12 * math.log(4)))


def test_the_fit_is_least_squares_and_ignores_the_start_and_bad_points():
    d = [0.0, 1.0, 2.0, 3.0, math.nan]
    gain = [5.0, 0.1, 0.3, 0.2, 1.0]          # d = 0 and nan are not fitted
    fit = gao_fit(d, gain)
    a = np.array([[1.0, -0.0], [2.0, -2 * math.log(2)], [3.0, -3 * math.log(3)]])
    expected, *_ = np.linalg.lstsq(a, np.array([0.1, 0.3, 0.2]), rcond=None)
    assert (fit.alpha, fit.beta) == pytest.approx(tuple(expected))
    assert math.isnan(gao_fit([0.0, 1.0], [0.0, 1.0]).alpha)          # one point: no fit
    assert GaoFit(0.1, -0.2).peak == math.inf                         # never turns


def test_a_sweep_record_measures_gains_from_its_first_point():
    s = Sweep(0, 200, (SweepPoint(math.nan, 0.0, 0.1, 0.45), SweepPoint(1.0, 4.0, 0.6, 0.6),
                       SweepPoint(0.0, 100.0, 1.6, 0.0), SweepPoint(0.5, -0.01, 0.2, 0.5)))
    assert s.d == [0.0, 2.0, 10.0, 0.0]                  # a negative KL estimate counts as 0
    assert s.gains("true_score") == pytest.approx([0.0, 0.15, -0.45, 0.05])
    assert s.gains("reward") == pytest.approx([0.0, 0.5, 1.5, 0.1])
    assert s.best.beta == 1.0


@pytest.fixture(scope="module")
def sweeps(pipelines):
    return {seed: sweep(seed, pipelines(seed)) for seed in SEEDS}


def _table(sweeps) -> str:
    return "\n".join(f"seed {seed}: " + "  ".join(
        f"β {p.beta:g} √KL {p.d:.2f} T {p.true_score:.2f} R {p.reward:+.2f}" for p in s.points)
        for seed, s in sweeps.items())


@pytest.mark.slow
def test_the_true_score_rises_with_a_little_kl_then_falls_with_a_lot(sweeps):
    def holds(s):
        start, best, last = s.points[0], s.best, s.points[-1]
        return (best.beta > 0 and best.true_score > start.true_score + 0.1
                and last.beta == 0 and last.true_score < start.true_score - 0.1
                and last.d > best.d and last.reward > best.reward)
    assert sum(map(holds, sweeps.values())) >= NEEDED, _table(sweeps)
