"""A pyqtgraph plot styled for a projector (large ticks and titles) that follows the theme."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..style import color
from .plot_title import FittedTitle


def pen(name: str, width: float = 3.0, style=QtCore.Qt.PenStyle.SolidLine) -> QtGui.QPen:
    return pg.mkPen(color(name), width=width, style=style)


class ThemedPlot(FittedTitle, pg.PlotWidget):
    def __init__(self, title: str, x_label: str, y_label: str = "") -> None:
        super().__init__()
        self._labels = (title, x_label, y_label)
        self.showGrid(x=True, y=True, alpha=0.25)
        self.setMenuEnabled(False)
        self.setMinimumHeight(140)   # three rows of ticks; a 720-px projector has no more
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)
        tick_font = QtGui.QFont()
        tick_font.setPointSize(13)
        for axis in ("bottom", "left"):
            self.getAxis(axis).setTickFont(tick_font)
            # A curve change repaints the axes (their grid covers the plot); cached, that costs
            # ~1 ms instead of ~4 ms an axis, per slider move.
            self.getAxis(axis).setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.apply_theme()

    def _title_style(self) -> tuple[str, float]:
        return color("text"), 15.0

    def apply_theme(self) -> None:
        title, x_label, y_label = self._labels
        self.setBackground(color("background"))
        self._title_pt = None
        self._set_fitted_title()
        self.setLabel("bottom", x_label, color=color("text"))
        if y_label:
            self.setLabel("left", y_label, color=color("text"))
        for axis in ("bottom", "left"):
            self.getAxis(axis).setTextPen(color("text"))
            self.getAxis(axis).setPen(color("muted"))
