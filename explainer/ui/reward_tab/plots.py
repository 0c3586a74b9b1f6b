"""Training over steps: the pairwise ranking loss, and the pairwise accuracy on training pairs and on
held-out pairs (prompts the Reward model never trains on)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from ..theme import style
from .controller import RewardController
from ..widgets.themed_plot import coloured, new_plot, pen


class TrainingPlots(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss_plot = new_plot("Training loss", "loss", "step",
                                  "Mean pairwise ranking loss, −log σ(R_better − R_worse), "
                                  "of each training step")
        # The coloured words of the title name the curves: a legend covered them in so small a plot.
        self.accuracy_plot = new_plot(f"{coloured('train', 'agent')} · {coloured('held out', 'environment')}",
                                      "accuracy", "step",
                                      "Share of pairs whose better response gets the larger "
                                      "Reward: training pairs, and held-out pairs")
        self.accuracy_plot.setYRange(0, 1.05, padding=0)
        self.loss_curve = self.loss_plot.plot(pen=pen("learning_rate"), skipFiniteCheck=True)
        self.train_curve = self.accuracy_plot.plot(pen=pen("agent"), name="training pairs",
                                                   skipFiniteCheck=True)
        self.held_curve = self.accuracy_plot.plot(pen=pen("environment", dashed=True),
                                                  symbol="o", symbolSize=6,
                                                  symbolBrush=style.color("environment"),
                                                  name="held-out pairs", skipFiniteCheck=True)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self._x_max = 0.0
        self._loss_top = 0.0
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getViewBox().disableAutoRange()  # ranges change in steps, not on every frame
        self._fit_loss(0.0)
        self.controller = controller
        controller.on_snapshot(self.render)

    def render(self) -> None:
        """Draw the controller's snapshot's history (also what an export calls, frame by frame)."""
        history = self.controller.snapshot.history
        self._fit_steps(history.steps[-1] if history.steps else 0)
        self._fit_loss(max(history.loss, default=0.0))
        steps = np.asarray(history.steps, dtype=float)
        self.loss_curve.setData(steps, np.asarray(history.loss, dtype=float))
        self.train_curve.setData(steps, np.asarray(history.train_accuracy, dtype=float))
        self.held_curve.setData(np.asarray(history.held_steps, dtype=float),
                                np.asarray(history.held_accuracy, dtype=float))

    def _fit_loss(self, highest: float) -> None:
        """The loss axis runs from 0 to a round number above the highest loss so far: it only
        changes when a loss passes the top, or on reset (then it shrinks back)."""
        wanted = _round_up(max(highest, 0.1) * 1.1)
        if wanted > self._loss_top or wanted < self._loss_top / 4:
            self._loss_top = wanted
            self.loss_plot.setYRange(0, wanted, padding=0.02)

    def _fit_steps(self, last_step: int) -> None:
        """The step axis doubles when training passes its end, instead of moving every frame."""
        wanted = max(50.0, float(last_step))
        if wanted > self._x_max or wanted < self._x_max / 4:
            self._x_max = wanted * (2 if wanted > 50 else 1)
            for plot in (self.loss_plot, self.accuracy_plot):
                plot.setXRange(0, self._x_max, padding=0.02)


def _round_up(value: float) -> float:
    """The next of 1, 2, 5 × a power of ten at or above value."""
    scale = 10.0 ** math.floor(math.log10(value))
    return next(m * scale for m in (1, 2, 5, 10) if m * scale >= value)
