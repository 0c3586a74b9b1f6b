"""Plots over updates and the SFT loss curve. Items are created once; new data only calls setData.

While training, the plots over updates change a few times a second. Their ranges do not follow
every new point (auto-range would change both axes on every update, and an axis is the costliest
item to redraw): they grow in steps, with head room, so most updates only redraw the curves.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtWidgets

from .. import style
from ..reward_tab.plot_style import new_plot, pen


def _legend(plot: pg.PlotWidget) -> pg.LegendItem:
    legend = plot.getPlotItem().addLegend(offset=(8, 4), labelTextSize=f"{style.BASE_POINT_SIZE - 3}pt")
    legend.setBrush(pg.mkBrush(255, 255, 255, 200))
    return legend


def _curve(plot_or_box, colour: str, width: float = 3, dashed: bool = False) -> pg.PlotDataItem:
    item = pg.PlotDataItem(pen=pen(colour, width, dashed), skipFiniteCheck=True)
    plot_or_box.addItem(item)
    return item


def sft_loss_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot("SFT loss: cross entropy of the demonstrations", "loss", "epoch",
                    "Cross entropy of every response token of the human-written demonstrations, "
                    "one full-batch step per epoch")
    return plot, _curve(plot, "policy", 4)


def hacking_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem, pg.PlotDataItem]:
    """Learned reward (left axis) and the rubric's true score (right axis, 0–1) over updates."""
    plot = new_plot("Learned reward vs true score", "learned reward R", "update",
                    "Orange: the Reward model's mean score of the batch (what the Policy "
                    "maximises). Green: the rubric's true score of the same answers (what people "
                    "wanted), which the Policy never sees. Reward hacking: orange up, green down.")
    item = plot.getPlotItem()
    reward = _curve(plot, "reward", 4)
    box = pg.ViewBox()
    item.showAxis("right")
    item.scene().addItem(box)
    right = item.getAxis("right")
    right.linkToView(box)
    right.setLabel("true score", color=style.color("good"))
    right.setTextPen(style.color("good"))
    right.setTickFont(item.getAxis("left").style.get("tickFont") or pg.QtGui.QFont())
    right.enableAutoSIPrefix(False)
    right.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    box.setXLink(item)
    box.setYRange(0, 1.02, padding=0)
    box.setMouseEnabled(x=False, y=False)
    item.vb.sigResized.connect(lambda: box.setGeometry(item.vb.sceneBoundingRect()))
    true = _curve(box, "good", 4)
    legend = _legend(plot)
    legend.addItem(reward, "learned reward")
    legend.addItem(true, "true score")
    plot._true_box = box  # kept alive with the plot
    return plot, reward, true


def kl_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot("KL to reference", "KL (nats)", "update",
                    "Mean of Σ (log π − log π_ref) over the batch: how far the Policy has moved "
                    "from the frozen fine-tuned model. β × KL is subtracted from the reward.")
    return plot, _curve(plot, "policy", 4)


def probe_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem, pg.PlotDataItem]:
    plot = new_plot("Polite vs rude (held out)", "log P(answer)", "update",
                    "How likely the Policy finds a fixed polite and a fixed rude answer to a prompt "
                    "it never trains on, as log P (a whole sentence's probability is tiny; one "
                    "unit up means e ≈ 2.7 times as likely).")
    polite = _curve(plot, "good", 4)
    rude = _curve(plot, "bad", 4, dashed=True)
    legend = _legend(plot)
    legend.addItem(polite, "polite")
    legend.addItem(rude, "rude")
    return plot, polite, rude


class UpdatePlots(pg.QtWidgets.QWidget):
    """The three plots over updates side by side; `show_series` renders one Series, `show_part`
    one plot of it (the tab draws them in separate event-loop turns while training)."""

    PARTS = 3

    def __init__(self) -> None:
        super().__init__()
        self.hacking, self.reward, self.true = hacking_plot()
        self.kl_plot, self.kl = kl_plot()
        self.probe, self.polite, self.rude = probe_plot()
        row = pg.QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self._ranges: dict = {}
        for plot, stretch in ((self.hacking, 4), (self.kl_plot, 3), (self.probe, 3)):
            plot.setMinimumHeight(160)
            plot.getPlotItem().vb.disableAutoRange()
            row.addWidget(plot, stretch)

    def show_series(self, s) -> None:
        for part in range(self.PARTS):
            self.show_part(part, s)

    def show_part(self, part: int, s) -> None:
        """Plot `part` (0: learned reward vs true score, 1: KL, 2: polite vs rude) of Series s."""
        if part == 0:
            self.reward.setData(s.update, s.reward)
            self.true.setData(s.update, s.true_score)
            self._fit(self.hacking, s.update, (s.reward,))
        elif part == 1:
            self.kl.setData(s.update, s.kl)
            self._fit(self.kl_plot, s.update, (s.kl,))
        else:
            self.polite.setData(s.update, s.logp_polite)
            self.rude.setData(s.update, s.logp_rude)
            self._fit(self.probe, s.update, (s.logp_polite, s.logp_rude))

    def _fit(self, plot: pg.PlotWidget, xs, ys) -> None:
        """Show every point; change the range only when a point leaves it (or a new run starts)."""
        values = [v for series in ys for v in series if math.isfinite(v)]
        x = (0.0, float(_ceil_nice(max(xs, default=1))))
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        old = self._ranges.get(id(plot))
        if old is not None and (len(xs) < old[2] or not old[2]):
            old = None   # a new run (or the first points): fit it afresh
        fits = old is not None and old[1][0] <= low and high <= old[1][1]
        if fits and old[0] == x:
            self._ranges[id(plot)] = (x, old[1], len(xs))
            return
        if fits:
            y = old[1]
        else:
            if old is not None:   # grow, never shrink mid-run
                low, high = min(low, old[1][0]), max(high, old[1][1])
            pad = max(high - low, 1e-3 * max(abs(high), 1.0)) * 0.15
            y = (low - pad, high + 2.5 * pad)   # room at the top for the legend
        self._ranges[id(plot)] = (x, y, len(xs))
        plot.getPlotItem().vb.setRange(xRange=x, yRange=y, padding=0)

    def point_counts(self) -> dict[str, int]:
        """How many points each curve shows (for tests and the benchmark)."""
        return {name: len(item.xData) if item.xData is not None else 0
                for name, item in (("reward", self.reward), ("true", self.true), ("kl", self.kl),
                                   ("polite", self.polite), ("rude", self.rude))}


def _ceil_nice(n: float) -> int:
    """The x range's end: 10, 20, 50, 100, 200, 500, … (changes rarely while a run grows)."""
    n = max(float(n), 1.0)
    scale = 10 ** math.floor(math.log10(n))
    for step in (1, 2, 5, 10):
        if n <= step * scale:
            return max(int(step * scale), 10)
    return int(10 * scale)
