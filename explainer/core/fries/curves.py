"""Curves the lesson-2 plots draw, computed here so the Qt layer only renders arrays."""
from __future__ import annotations

import math

import numpy as np

from explainer.core.fries.environment import NORM
from explainer.core.fries.policy_gradient import PhaseRecord

HUNGER_GRID = np.linspace(0.0, 1.0, 201)


def policy_curve(weight: float, bias: float, xs: np.ndarray = HUNGER_GRID) -> np.ndarray:
    """P(Norm's) = σ(weight·x + bias) over hunger, stable for any logit."""
    return 0.5 * (1.0 + np.tanh(0.5 * (weight * xs + bias)))


def loss_curve(record: PhaseRecord, half_width: float = 10.0, points: int = 201):
    """Cross entropy of the guess as a function of the bias, on a window that moves only in
    whole steps of `half_width`: while the bias is dragged the axes stand still and the point
    slides along the curve.

    Returns (biases, losses, tangent_biases, tangent_losses): the tangent at the shown bias has
    slope ∂C/∂bias, the derivative of the Derivative phase.
    """
    b0 = record.bias_before
    centre = half_width * round(b0 / half_width)
    biases = np.linspace(centre - half_width, centre + half_width, points)
    logits = record.weight_before * record.x + biases
    # C = −log P(chosen) = softplus(∓X), written with logaddexp so it never overflows
    sign = -1.0 if record.action == NORM else 1.0
    losses = np.logaddexp(0.0, sign * logits)
    slope = record.dloss_db if record.dloss_db is not None else 0.0
    tangent_b = np.array([b0 - 1.5, b0 + 1.5])
    tangent_c = record.loss + slope * (tangent_b - b0) if record.loss is not None else None
    return biases, losses, tangent_b, tangent_c


def loss_axis_top(losses: np.ndarray) -> float:
    """The loss plot's top: the next of 1, 2, 5, 10, 20, 50, ... above the curve (with 5 % head
    room). While a slider is dragged the curve changes on every step but this top only now and
    then, so the axes (their ticks and width) mostly stay as they were and only the curve moves.
    """
    peak = float(np.max(losses)) * 1.05 if len(losses) else 0.0
    if not math.isfinite(peak) or peak <= 1.0:
        return 1.0
    decade = 10.0 ** math.floor(math.log10(peak))
    return next(step * decade for step in (1.0, 2.0, 5.0, 10.0) if step * decade >= peak)
