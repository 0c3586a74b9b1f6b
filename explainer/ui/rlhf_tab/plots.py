"""Plots over updates and the SFT loss curve. Items are created once; new data only calls setData."""
from __future__ import annotations

import pyqtgraph as pg

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
    """The three plots over updates side by side; `show_series` renders one Series."""

    def __init__(self) -> None:
        super().__init__()
        self.hacking, self.reward, self.true = hacking_plot()
        self.kl_plot, self.kl = kl_plot()
        self.probe, self.polite, self.rude = probe_plot()
        row = pg.QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for plot, stretch in ((self.hacking, 4), (self.kl_plot, 3), (self.probe, 3)):
            plot.setMinimumHeight(160)
            row.addWidget(plot, stretch)

    def show_series(self, s) -> None:
        self.reward.setData(s.update, s.reward)
        self.true.setData(s.update, s.true_score)
        self.kl.setData(s.update, s.kl)
        self.polite.setData(s.update, s.logp_polite)
        self.rude.setData(s.update, s.logp_rude)

    def point_counts(self) -> dict[str, int]:
        """How many points each curve shows (for tests and the benchmark)."""
        return {name: len(item.xData) if item.xData is not None else 0
                for name, item in (("reward", self.reward), ("true", self.true), ("kl", self.kl),
                                   ("polite", self.polite), ("rude", self.rude))}
