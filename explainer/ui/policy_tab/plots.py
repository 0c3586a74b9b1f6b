"""Lesson-2 plots. Every plot item is created once; a new record only sets its data.

The policy curve and the cross entropy follow every slider step, so they are painted plots (a
cached picture of the axes and curves, the markers and the tangent drawn over it); the history,
which only changes between episodes, stays a pyqtgraph plot with downsampling for 10⁶ episodes."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ...core.fries.curves import HUNGER_GRID, loss_axis_top, loss_curve, policy_curve
from ...core.fries.policy_gradient import PhaseRecord
from ..theme.style import color
from ..widgets.painted_plot import PaintedPlot
from ..widgets.themed_plot import ThemedPlot, coloured, pen


class PolicyCurvePlot(PaintedPlot):
    """P(Norm's) against hunger: now, a ghost of the curve before the update, the input marked."""

    def __init__(self) -> None:
        super().__init__("P(Norm's) against hunger", "hunger x", "P(Norm's)")
        self.setYRange(-0.02, 1.02, padding=0)
        self.setXRange(0, 1, padding=0.02)
        self.hungry_line = self.add_vline(0.5, pen("muted", 1.5, dotted=True))
        self.ghost = self.add_curve(pen("muted", 2, dashed=True))
        self.curve = self.add_curve(pen("policy", 4))
        self.marker = self.add_marker("o", 16, "agent")

    def show_record(self, r: PhaseRecord | None, weight: float, bias: float) -> None:
        if r is None:
            self.ghost.setData([], [])
            self.curve.setData(HUNGER_GRID, policy_curve(weight, bias))
            self.marker.set_point(None, None)
            return
        self.hungry_line.setValue(r.environment.hungry_above)
        before = policy_curve(r.weight_before, r.bias_before)
        if r.phase == "update":
            self.ghost.setData(HUNGER_GRID, before)
            self.curve.setData(HUNGER_GRID, policy_curve(r.weight_after, r.bias_after))
            self.marker.set_point(r.x, r.p_a_after)
        else:
            self.ghost.setData([], [])
            self.curve.setData(HUNGER_GRID, before)
            self.marker.set_point(r.x, r.p_a)


class LossPlot(PaintedPlot):
    """Cross entropy of the guess against the bias, with the tangent whose slope is ∂C/∂bias."""

    def __init__(self) -> None:
        super().__init__("Cross entropy C against the bias", "bias", "C")
        self.curve = self.add_curve(pen("policy", 3))
        self.tangent = self.add_curve(pen("derivative", 4), live=True)  # moves with every bias step
        self.point = self.add_marker("o", 15, "policy")
        self.after = self.add_marker("t", 18, "learning_rate")

    def show_record(self, r: PhaseRecord | None) -> None:
        if r is None or r.phase == "guess":
            for item in (self.curve, self.tangent):
                item.setData([], [])
            for marker in (self.point, self.after):
                marker.set_point(None, None)
            self.set_note("appears in the Derivative phase")
            return
        biases, losses, tb, tc = loss_curve(r)
        self.setXRange(float(biases[0]), float(biases[-1]), padding=0.02)
        self.curve.setData(biases, losses)
        self.tangent.setData(tb, tc)
        self.point.set_point(r.bias_before, r.loss)
        self.set_note("")
        if r.phase == "update":
            i = int(np.argmin(np.abs(biases - r.bias_after)))
            inside = biases[0] <= r.bias_after <= biases[-1]
            self.after.set_point(r.bias_after if inside else None, losses[i] if inside else None)
        else:
            self.after.set_point(None, None)
        # While a slider drags the shown record the axis only grows, so the ticks and the cached
        # axes stay as they were for most steps; it fits the curve afresh for another phase or
        # episode.
        top, shown = loss_axis_top(losses), (r.episode, r.phase)
        if shown == getattr(self, "_fitted_for", None):
            top = max(top, self._top)
        self._fitted_for, self._top = shown, top
        self.setYRange(0, top, padding=0)


class HistoryPlot(ThemedPlot):
    """Bias and running mean reward per episode; downsampled so 10⁶ episodes stay fast. The
    coloured title names the curves: a legend box covered the first episodes' curves and, on a
    short plot, most of them."""

    def __init__(self) -> None:
        super().__init__(f"History: {coloured('bias', 'policy')} and "
                         f"{coloured('mean Reward', 'reward')}", "episode")
        self.setMinimumHeight(140)   # three rows of ticks; a 720-px projector has no more
        self.bias = self.plotItem.plot(pen=pen("policy", 3))
        self.mean_reward = self.plotItem.plot(pen=pen("reward", 3))
        self.rewards = self.plotItem.plot(pen=None, symbol="o", symbolSize=6,
                                          symbolBrush=color("reward"), symbolPen=None)
        for item in (self.bias, self.mean_reward):
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            item.setSkipFiniteCheck(True)
        self.cursor = pg.InfiniteLine(0, angle=90, pen=pen("agent", 2, dashed=True))
        self.addItem(self.cursor)

    def show_trace(self, bias: np.ndarray, reward: np.ndarray, mean_reward: np.ndarray,
                   shown_episode: int | None) -> None:
        episodes = np.arange(1, len(bias) + 1)
        self.bias.setData(episodes, bias)
        self.mean_reward.setData(episodes, mean_reward)
        self.count_axis(len(bias))
        few = len(reward) <= 400  # single reward dots only while they can be told apart
        self.rewards.setData(episodes if few else [], reward if few else [])
        self.cursor.setVisible(shown_episode is not None)
        if shown_episode is not None:
            self.cursor.setValue(shown_episode + 1)
