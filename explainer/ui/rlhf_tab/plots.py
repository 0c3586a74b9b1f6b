"""Plots over updates and the SFT loss curve. Items are created once; new data only calls setData.

While training, the plots over updates change a few times a second, and what costs is not the
curves but the axes: an axis (its ticks, labels and grid lines) is redrawn whenever its range or
its size changes, ~5–10 ms each. So the ranges do not follow every new point: y grows in steps to
round numbers (at least doubling), x to 10, 20, 50, 100, … and to the end of a training run as soon
as it starts (`expect`); the value axes have a fixed width, so a wider tick label never re-lays out
the plot; only major ticks and grid lines are drawn (a third of
the lines, and easier to read from afar). Curves are named in colour in the title, not in a legend
box that would cover them.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtGui

from ..widgets.themed_plot import coloured, new_plot, pen

# The widest tick label the value axes leave room for (rewards, KL and log P stay within ±999).
WIDEST_TICK = "-888.8"
GROWTH = 2.0   # a y range that no longer fits grows to at least this many times its height


def _curve(plot_or_box, colour: str, width: float = 3, dashed: bool = False) -> pg.PlotDataItem:
    item = pg.PlotDataItem(pen=pen(colour, width, dashed), skipFiniteCheck=True)
    plot_or_box.addItem(item)
    return item


def steady_axes(plot: pg.PlotWidget, value_axes=("left",)) -> None:
    """Major ticks only, and value axes of a fixed width: new tick labels never re-lay out."""
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right"):
        item.getAxis(name).setStyle(maxTickLevel=0, maxTextLevel=0)
    for name in value_axes:
        axis = item.getAxis(name)
        font = axis.style.get("tickFont") or QtGui.QFont()
        text = QtGui.QFontMetrics(font).horizontalAdvance(WIDEST_TICK)
        label = axis.label.boundingRect().height() * 0.8 if axis.label.isVisible() else 0
        axis.setWidth(int(text + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
                          + label + 2))


def sft_loss_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot("SFT loss: cross entropy of the demonstrations", "loss", "epoch",
                    "Cross entropy of every response token of the human-written demonstrations, "
                    "one full-batch step per epoch")
    steady_axes(plot, ())
    return plot, _curve(plot, "policy", 4)


def reward_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot(coloured("Learned reward", "reward"), "reward R", "",
                    "The Reward model's mean score of the batch: what the Policy maximises. "
                    "Reward hacking: this goes up while the true score below goes down.")
    steady_axes(plot)
    return plot, _curve(plot, "reward", 4)


def true_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot(coloured("True score", "good"), "true score", "update",
                    "The ground truth's mean score of the same answers (0–1): what people "
                    "wanted. The Policy never sees it.")
    plot.getPlotItem().vb.setYRange(0, 1, padding=0.02)
    steady_axes(plot)
    return plot, _curve(plot, "good", 4)


def kl_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot(f"{coloured('KL', 'policy')} to reference", "KL (nats)", "update",
                    "Mean of Σ (log π − log π_ref) over the batch: how far the Policy has moved "
                    "from the frozen fine-tuned model. β × KL is subtracted from the reward.")
    steady_axes(plot)
    return plot, _curve(plot, "policy", 4)


def gap_plot() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
    plot = new_plot(f"{coloured('polite', 'good')} − {coloured('rude', 'bad')} (held out)",
                    "log P gap (nats)", "update",
                    "log P(polite answer) − log P(rude answer) for the same correct answer to a "
                    "prompt the Policy never trains on. Above 0 the polite one is likelier; one "
                    "unit up means e ≈ 2.7 times likelier than before.")
    plot.getPlotItem().addItem(pg.InfiniteLine(pos=0, angle=0, pen=pen("muted", 1, True)))
    steady_axes(plot)
    return plot, _curve(plot, "good", 4)


class UpdatePlots(pg.QtWidgets.QWidget):
    """The plots over updates: learned reward above true score (never twin axes: two scales on
    one plot invite comparing heights that mean nothing), KL, and the polite − rude gap.
    `show_series` renders one Series, `show_part` one group of it (the tab draws them in separate
    event-loop turns while training)."""

    PARTS = 3
    GROUPS = {"reward": ("reward", "true"), "kl": ("kl",), "gap": ("gap",)}   # what `set_focus` shows

    def __init__(self) -> None:
        super().__init__()
        self.reward_plot, self.reward = reward_plot()
        self.true_plot, self.true = true_plot()
        self.kl_plot, self.kl = kl_plot()
        self.gap_plot, self.gap = gap_plot()
        self.reward_plot.setXLink(self.true_plot)
        self.reward_plot.getPlotItem().getAxis("bottom").setStyle(showValues=False)
        grid = pg.QtWidgets.QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self._ranges: dict = {}
        self._horizon = (0, 0)   # training runs from update [0] to update [1]
        grid.addWidget(self.reward_plot, 0, 0)
        grid.addWidget(self.true_plot, 1, 0)
        grid.addWidget(self.kl_plot, 0, 1, 2, 1)
        grid.addWidget(self.gap_plot, 0, 2, 2, 1)
        self.grid = grid
        self.set_focus(None)
        for plot in self.plots().values():
            plot.setMinimumHeight(50)   # zoomed in, the before/after rows need the room
            plot.getPlotItem().vb.disableAutoRange()

    def set_focus(self, group: str | None) -> None:
        """One group of GROUPS alone, filling the widget (presenting), or (None) all of them."""
        shown = self.GROUPS.get(group, ("reward", "true", "kl", "gap"))
        for name, plot in self.plots().items():
            plot.setVisible(name in shown)
        for column, (stretch, names) in enumerate(((4, ("reward", "true")), (3, ("kl",)),
                                                   (3, ("gap",)))):
            self.grid.setColumnStretch(column, stretch if set(names) & set(shown) else 0)

    def plots(self) -> dict[str, pg.PlotWidget]:
        return {"reward": self.reward_plot, "true": self.true_plot, "kl": self.kl_plot,
                "gap": self.gap_plot}

    def show_series(self, s) -> None:
        for part in range(self.PARTS):
            self.show_part(part, s)

    def show_part(self, part: int, s) -> None:
        """Part 0: learned reward and true score, 1: KL, 2: the polite − rude gap, of Series s."""
        if part == 0:
            self.reward.setData(s.update, s.reward)
            self.true.setData(s.update, s.true_score)
            self._fit(self.reward_plot, s.update, (s.reward,))
            self._fit(self.true_plot, s.update, (), fixed=(0.0, 1.0))
        elif part == 1:
            self.kl.setData(s.update, s.kl)
            self._fit(self.kl_plot, s.update, (s.kl,))
        else:
            gap = s.probe_gap
            self.gap.setData(s.update, gap)
            self._fit(self.gap_plot, s.update, (gap, (0.0,)))

    def expect(self, first_update: int, last_update: int) -> None:
        """Training runs from first_update to last_update: while a series is in between, the x
        range makes room for all of it at once, instead of growing (and redrawing every axis)
        while the run goes on."""
        self._horizon = (int(first_update), int(last_update))

    def _fit(self, plot: pg.PlotWidget, xs, ys, fixed=None) -> None:
        """Show every point; change a range only when a point leaves it (or a new run starts)."""
        old = self._ranges.get(id(plot))
        if old is not None and (len(xs) < old[2] or not old[2]):
            old = None   # a new run (or the first points): fit it afresh
        first, last = self._horizon
        end = last if first <= len(xs) <= last else 1
        values = [v for series in ys for v in series if math.isfinite(v)]
        x = (0.0, float(ceil_nice(max(max(xs, default=1), end))))
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        y = fixed if fixed is not None else stepped_range(old[1] if old is not None else None,
                                                          low, high)
        self._ranges[id(plot)] = (x, y, len(xs))
        if old is None or (x, y) != old[:2]:
            plot.getPlotItem().vb.setRange(xRange=x, yRange=y, padding=0)

    def shown_ranges(self) -> dict[str, tuple]:
        """Each plot's (x range, y range) as shown (for tests and the benchmark)."""
        return {name: tuple(tuple(r) for r in plot.getPlotItem().vb.viewRange())
                for name, plot in self.plots().items()}

    def point_counts(self) -> dict[str, int]:
        """How many points each curve shows (for tests and the benchmark)."""
        return {name: len(item.xData) if item.xData is not None else 0
                for name, item in (("reward", self.reward), ("true", self.true), ("kl", self.kl),
                                   ("gap", self.gap))}


def stepped_range(old: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
    """The y range to show data from low to high: `old` while the data fits in it; else grown (to
    at least GROWTH × its height, towards the side the data left by) and rounded outwards to a
    multiple of a round step. Without `old`: the data with a margin, rounded the same way."""
    if old is not None and old[0] <= low and high <= old[1]:
        return old
    span = max(high - low, 0.1 * max(abs(low), abs(high), 1.0))
    if old is None:
        lo, hi = low - 0.2 * span, high + 0.2 * span
    else:
        height = max(old[1] - old[0], span) * GROWTH
        lo, hi = min(low, old[0]), max(high, old[1])
        if high > old[1] and low >= old[0]:     # left by the top: grow upwards
            hi = max(hi, lo + height)
        elif low < old[0] and high <= old[1]:   # by the bottom: grow downwards
            lo = min(lo, hi - height)
        else:                                   # both: grow both ways
            extra = max(0.0, height - (hi - lo)) / 2
            lo, hi = lo - extra, hi + extra
    step = _nice_step((hi - lo) / 4)
    return (math.floor(lo / step) * step, math.ceil(hi / step) * step)


def _nice_step(size: float) -> float:
    """1, 2 or 5 × a power of ten, at or above size."""
    scale = 10.0 ** math.floor(math.log10(size))
    return next(m * scale for m in (1, 2, 5, 10) if m * scale >= size * (1 - 1e-9))


def ceil_nice(n: float) -> int:
    """The x range's end: 10, 20, 50, 100, 200, 500, … (changes rarely while a run grows)."""
    n = max(float(n), 1.0)
    scale = 10 ** math.floor(math.log10(n))
    for step in (1, 2, 5, 10):
        if n <= step * scale:
            return max(int(step * scale), 10)
    return int(10 * scale)
