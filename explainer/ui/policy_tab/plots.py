"""Lesson-2 plots. Every plot item is created once; a new record only calls setData on it."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from ...core.curves import HUNGER_GRID, loss_axis_top, loss_curve, policy_curve
from ...core.policy_gradient import PhaseRecord
from ..style import color
from ..widgets.plot_marker import PlotMarker
from ..widgets.themed_plot import ThemedPlot, pen, set_data


def _curve(plot: ThemedPlot, line) -> pg.PlotCurveItem:
    """A bare curve item: a drag calls setData on it every step, and PlotDataItem's extra layer
    (downsampling, symbols, finite checks) costs more than the curve itself."""
    item = pg.PlotCurveItem(pen=line, skipFiniteCheck=True)
    plot.addItem(item)
    return item


def _marker(plot: ThemedPlot, marker: PlotMarker) -> PlotMarker:
    plot.addItem(marker, ignoreBounds=True)
    return marker


class PolicyCurvePlot(ThemedPlot):
    """P(Norm's) against hunger: now, a ghost of the curve before the update, the input marked."""

    def __init__(self) -> None:
        super().__init__("P(Norm's) against hunger", "hunger x", "P(Norm's)")
        self.setYRange(-0.02, 1.02, padding=0)
        self.setXRange(0, 1, padding=0.02)
        self.ghost = _curve(self, pen("muted", 2, QtCore.Qt.PenStyle.DashLine))
        self.curve = _curve(self, pen("policy", 4))
        self.marker = _marker(self, PlotMarker("o", 16, "agent"))
        self.hungry_line = pg.InfiniteLine(0.5, angle=90, pen=pen("muted", 1.5, QtCore.Qt.PenStyle.DotLine))
        self.addItem(self.hungry_line)

    def show_record(self, r: PhaseRecord | None, weight: float, bias: float) -> None:
        if r is None:
            set_data(self.ghost, [], [])
            set_data(self.curve, HUNGER_GRID, policy_curve(weight, bias))
            self.marker.set_point(None, None)
            return
        self.hungry_line.setValue(r.environment.hungry_above)
        before = policy_curve(r.weight_before, r.bias_before)
        if r.phase == "update":
            set_data(self.ghost, HUNGER_GRID, before)
            set_data(self.curve, HUNGER_GRID, policy_curve(r.weight_after, r.bias_after))
            self.marker.set_point(r.x, r.p_a_after)
        else:
            set_data(self.ghost, [], [])
            set_data(self.curve, HUNGER_GRID, before)
            self.marker.set_point(r.x, r.p_a)


class LossPlot(ThemedPlot):
    """Cross entropy of the guess against the bias, with the tangent whose slope is ∂C/∂bias."""

    def __init__(self) -> None:
        super().__init__("Cross entropy C against the bias", "bias", "C")
        self.curve = _curve(self, pen("policy", 3))
        self.tangent = _curve(self, pen("derivative", 4))
        self.point = _marker(self, PlotMarker("o", 15, "policy"))
        self.after = _marker(self, PlotMarker("t", 18, "learning_rate"))
        self.note = pg.TextItem("", color=color("text"), anchor=(0, 0))
        self.addItem(self.note)

    def show_record(self, r: PhaseRecord | None) -> None:
        if r is None or r.phase == "guess":
            for item in (self.curve, self.tangent):
                set_data(item, [], [])
            for marker in (self.point, self.after):
                marker.set_point(None, None)
            self.note.setText("appears in the Derivative phase")
            self.note.setPos(0, 0)
            return
        biases, losses, tb, tc = loss_curve(r)
        window = (float(biases[0]), float(biases[-1]))
        if window != getattr(self, "_window", None):  # explicit ranges: no autorange per step
            self._window = window
            self.setXRange(*window, padding=0.02)
        set_data(self.curve, biases, losses)
        set_data(self.tangent, tb, tc)
        self.point.set_point(r.bias_before, r.loss)
        self.note.setText("")
        if r.phase == "update":
            i = int(np.argmin(np.abs(biases - r.bias_after)))
            inside = biases[0] <= r.bias_after <= biases[-1]
            self.after.set_point(r.bias_after if inside else None, losses[i] if inside else None)
        else:
            self.after.set_point(None, None)
        # A new range costs ~10 ms (pyqtgraph re-ticks and re-transforms everything), so while a
        # slider drags the shown record the axis only grows; it fits the curve afresh when another
        # phase or episode is shown.
        top, shown = loss_axis_top(losses), (r.episode, r.phase)
        if shown == getattr(self, "_fitted_for", None):
            top = max(top, self._top)
        self._fitted_for = shown
        if top != getattr(self, "_top", None):
            self._top = top
            self.setYRange(0, top, padding=0)


class HistoryPlot(ThemedPlot):
    """Bias and running mean reward per episode; downsampled so 10⁶ episodes stay fast."""

    def __init__(self) -> None:
        super().__init__("History: bias and mean Reward", "episode")
        self.addLegend(offset=(10, 10), labelTextSize="13pt")
        self.bias = self.plotItem.plot(pen=pen("policy", 3), name="bias")
        self.mean_reward = self.plotItem.plot(pen=pen("reward", 3), name="running mean Reward")
        self.rewards = self.plotItem.plot(pen=None, symbol="o", symbolSize=6,
                                          symbolBrush=color("reward"), symbolPen=None, name="Reward")
        for item in (self.bias, self.mean_reward):
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            item.setSkipFiniteCheck(True)
        self.cursor = pg.InfiniteLine(0, angle=90, pen=pen("agent", 2, QtCore.Qt.PenStyle.DashLine))
        self.addItem(self.cursor)

    def show_trace(self, bias: np.ndarray, reward: np.ndarray, mean_reward: np.ndarray,
                   shown_episode: int | None) -> None:
        episodes = np.arange(1, len(bias) + 1)
        self.bias.setData(episodes, bias)
        self.mean_reward.setData(episodes, mean_reward)
        few = len(reward) <= 400  # single reward dots only while they can be told apart
        self.rewards.setData(episodes if few else [], reward if few else [])
        self.cursor.setVisible(shown_episode is not None)
        if shown_episode is not None:
            self.cursor.setValue(shown_episode + 1)
