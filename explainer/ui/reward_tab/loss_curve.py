"""The pairwise ranking loss −log σ(d) against d = R_better − R_worse, with every pair as a dot.

Training pushes the dots to the right, down the curve: large positive d, loss near 0. A pair left of
0 is one the Reward model still gets wrong. The selected pair is the big orange dot.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from ...core.language.reward_training import loss_curve
from ..theme import style
from .controller import RewardController
from ..widgets.themed_plot import new_plot, pen

D_RANGE = (-6.0, 6.0)
LOSS_TOP = 6.2


class LossCurve(QtWidgets.QWidget):
    def __init__(self, controller: RewardController, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.plot = new_plot("Loss = −log σ(d) for every pair", "loss", "d = R_better − R_worse",
                             "Each dot is one ranked pair. Training pushes the dots right, to large "
                             "positive d, where the loss is near 0.\nHollow dots: held-out pairs.")
        # The curve and the d = 0 line are drawn in the theme's text and grey colours.
        self.curve = pg.PlotDataItem(*loss_curve(*D_RANGE))
        self.plot.addItem(self.curve)
        self.zero_line = self.plot.addLine(x=0)
        self.plot.legend(offset=(-10, 10))
        self.train_dots = self._scatter(style.color("agent"), True, "training pair")
        self.held_dots = self._scatter(style.color("environment"), False, "held-out pair")
        self.selected_dot = pg.ScatterPlotItem(size=22, brush=pg.mkBrush(style.color("reward")),
                                               name="selected pair")
        self.plot.addItem(self.selected_dot)
        self.plot.on_theme(self._colour)
        self.plot.setXRange(*D_RANGE, padding=0.02)
        self.plot.setYRange(0, LOSS_TOP, padding=0)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        controller.on_snapshot(self._render)
        controller.selection_changed.connect(self._render)

    def _colour(self) -> None:
        self.curve.setPen(pen("text", 2.5))
        self.zero_line.setPen(pg.mkPen(style.color("muted"), width=1))
        self.selected_dot.setPen(pg.mkPen(style.color("text"), width=2))

    def _scatter(self, colour: str, filled: bool, name: str) -> pg.ScatterPlotItem:
        scatter = pg.ScatterPlotItem(size=11, pen=pg.mkPen(colour, width=2), name=name,
                                     brush=pg.mkBrush(colour if filled else None))
        self.plot.addItem(scatter)
        return scatter

    def _render(self, *_args) -> None:
        snapshot = self.controller.snapshot
        for scatter, held_out in ((self.train_dots, False), (self.held_dots, True)):
            rows = snapshot.rows(held_out)
            scatter.setData(_clipped([r.d for r in rows]), _capped([r.loss for r in rows]))
        row = snapshot.row(*self.controller.selected_pair) if self.controller.selected_pair else None
        self.selected_dot.setData(_clipped([row.d]) if row else [], _capped([row.loss] if row else []))


def _clipped(ds: list[float]) -> np.ndarray:
    """Dots beyond the axis sit on its edge, so none disappears from view."""
    return np.clip(np.asarray(ds, dtype=float), *D_RANGE)


def _capped(losses: list[float]) -> np.ndarray:
    return np.minimum(np.asarray(losses, dtype=float), LOSS_TOP - 0.1)
