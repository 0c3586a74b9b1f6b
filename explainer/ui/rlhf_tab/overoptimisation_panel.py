"""Reward over-optimisation (Gao, Schulman and Hilton 2022), drawn live: each point is one run of
policy optimisation at one β, at its distance d = √KL from the fine-tuned model; the learned
reward's gain keeps rising with d while the true score's gain rises, peaks and falls. The paper's
fitted form d (α − β log d) is drawn over each. The runs happen in a process of their own
(`training.sweep_service`); this panel renders the `Sweep` records it sends and computes nothing."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from ...core.rlhf.overoptimisation import SWEEP_BETAS, SWEEP_UPDATES
from ...training.sweep_service import SweepService
from ..theme import style
from ..widgets.format import num
from ..widgets.themed_plot import coloured, new_plot, pen, text_item
from ..training.responsive import Staggered
from ..training.process import TrainingProcess
from ..widgets.grow_only_label import GrowOnlyLabel
from .controller import PART_SPACING_MS
from .plots import ceil_nice, stepped_range, steady_axes

EXPLAINED = (f"Each point is one run of {SWEEP_UPDATES} updates with the Reward-hacking preset's "
             "learning rate and one β, from 1 down to 0; the first point is the fine-tuned "
             "model itself. d = √KL is how far the run moved from it. Lines: the fit Gao et al. "
             "found for RL, gain = d (α − β log d).")


def _gain_plot(title: str, left: str, colour: str, tooltip: str):
    plot = new_plot(title, left, "d = √KL to the fine-tuned model", tooltip)
    plot.getPlotItem().addItem(pg.InfiniteLine(pos=0, angle=0, pen=pen("muted", 1, True)))
    points = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(style.color(colour)), pen=None)
    fitted = pg.PlotDataItem(pen=pen(colour, 3))
    plot.addItem(points)
    plot.addItem(fitted)
    steady_axes(plot)
    return plot, points, fitted


class OveroptimisationPanel(QtWidgets.QWidget):
    def __init__(self, seed_of) -> None:
        super().__init__()
        self.seed_of = seed_of   # () -> the lesson's seed now
        self.sweep = None        # the newest Sweep record shown
        self.betas, self.updates = SWEEP_BETAS, SWEEP_UPDATES   # what a run sweeps
        self.process = TrainingProcess(SweepService, name="rlhf-sweep", latest_only={"sweep"},
                                       parent=self)
        self.process.received.connect(self._on_message)
        self.process.failed.connect(lambda text: self.status.setText(f"The sweep failed: {text}"))
        self.process.exited.connect(lambda _: self._set_running(False))
        self.running = False
        self._labels: list = []
        self._ranges: dict = {}   # plot → the (x, y) ranges shown
        # each plot is drawn in a turn of its own, its repaint in between: no long stall
        self.renders = Staggered(self, interval_ms=PART_SPACING_MS)
        self._build()

    def _build(self) -> None:
        self.run_button = QtWidgets.QPushButton("Run the sweep")
        self.run_button.setToolTip(f"{len(SWEEP_BETAS)} runs of {SWEEP_UPDATES} updates in the "
                                   "background (about half a minute); the lesson's own run is "
                                   "not touched")
        self.run_button.clicked.connect(self._on_run_clicked)
        # grows, never shrinks: a shorter message does not re-lay out (and repaint) both plots
        self.status = GrowOnlyLabel()
        self.status.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.status.setText("Not run yet.")
        self.explained = QtWidgets.QLabel(EXPLAINED, wordWrap=True)
        self.reward_plot, self.reward_points, self.reward_fit = _gain_plot(
            f"{coloured('Learned reward', 'reward')}: gain over the fine-tuned model",
            "reward gain", "reward",
            "The Reward model's mean score of answers to never-seen prompts, minus the fine-tuned "
            "model's: what the Policy was optimised for.")
        self.true_plot, self.true_points, self.true_fit = _gain_plot(
            f"{coloured('True score', 'good')}: gain over the fine-tuned model",
            "true score gain", "good",
            "The ground truth's mean score of the same answers, minus the fine-tuned model's: "
            "what people wanted. Past its peak, more optimisation makes answers worse.")
        self.reward_plot.setXLink(self.true_plot)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.status, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.explained)
        layout.addWidget(self.reward_plot, 1)
        layout.addWidget(self.true_plot, 1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The process (an interpreter, no torch yet) starts when the page is first seen, so the
        # click only sends a command: starting it in the click stalled the window ~20 ms.
        self.process.start()

    # --- intent -------------------------------------------------------------------------------------
    def _on_run_clicked(self) -> None:
        if self.running:
            self.process.call("cancel")
            self._set_running(False)
            self.status.setText("Stopped.")
            return
        self._set_running(True)
        self.process.call("start", int(self.seed_of()), tuple(self.betas), int(self.updates))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.run_button.setText("Stop the sweep" if running else "Run the sweep")

    def shutdown(self) -> None:
        self.process.stop()

    # --- rendering ----------------------------------------------------------------------------------
    def _on_message(self, kind: str, payload) -> None:
        if kind == "sweep":
            self.show_sweep(payload)
        elif kind == "busy" and payload:
            self.status.setText(payload)
        elif kind == "done":
            self._set_running(False)
            self.show_sweep(payload)
            self.status.setText(self.summary(payload))

    def show_sweep(self, s) -> None:
        """The reward plot now, the true score's in the next turn (each repaints in between)."""
        self.sweep = s
        if not s.points:
            return
        self._draw(s, "reward")
        self.renders.schedule(lambda: self._draw(self.sweep, "true_score"), key="true_score")

    def _draw(self, s, what: str) -> None:
        plot, points, fitted = ((self.reward_plot, self.reward_points, self.reward_fit)
                                if what == "reward" else
                                (self.true_plot, self.true_points, self.true_fit))
        d, gains = s.d, s.gains(what)
        # ranges change seldom (x to 10, 20, 50 …; y only grows, in round steps): an axis redrawn
        # for every point stalled the window
        d_max = float(ceil_nice(max(d) * 1.05))
        points.setData(d, gains)
        fit = s.fit(what)
        fitted.setData(*fit.curve(d_max)) if math.isfinite(fit.alpha) else fitted.setData([], [])
        if what == "true_score":
            self._label_betas(s)
        old = self._ranges.get(what) if len(s.points) > 1 else None
        y = stepped_range(old[1] if old else None, min(gains + [0.0]), max(gains + [0.0]))
        x = (-0.02 * d_max, d_max)
        if (x, y) != old:
            self._ranges[what] = (x, y)
            plot.getPlotItem().vb.setRange(xRange=x, yRange=y, padding=0)

    def _label_betas(self, s) -> None:
        """Names beside three points of the true score: the fine-tuned model, the best run and the
        last (β = 0); the runs between crowd together near the best one."""
        for item in self._labels:
            self.true_plot.removeItem(item)
        self._labels = []
        named = {0, s.points.index(s.best), len(s.points) - 1}
        for k, (point, gain) in enumerate(zip(s.points, s.gains("true_score"))):
            if k not in named:
                continue
            label = text_item("text", anchor=(0 if k == 0 else 0.5, 1.3), scale=0.8)
            label.setText("SFT" if math.isnan(point.beta) else f"β={point.beta:g}")
            label.setPos(point.d, gain)
            self.true_plot.addItem(label)
            self._labels.append(label)

    @staticmethod
    def summary(s) -> str:
        best, last, start = s.best, s.points[-1], s.points[0]
        if best is start:
            peak = f"never rises above the fine-tuned model's {num(start.true_score, 2)}"
        else:
            peak = (f"rises from {num(start.true_score, 2)} to {num(best.true_score, 2)} "
                    f"(β = {best.beta:g}, d = {num(best.d, 2)})")
        side = "above" if last.reward > best.reward else "not above"
        return (f"Seed {s.seed}: the true score {peak} and ends at {num(last.true_score, 2)} at "
                f"β = {last.beta:g} (d = {num(last.d, 2)}), where the learned reward, "
                f"{num(last.reward, 2)}, is {side} the best run's {num(best.reward, 2)}.")
