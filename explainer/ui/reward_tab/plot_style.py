"""pyqtgraph plots in the house style: large axis text, colours from the shared palette, and every
colour that depends on the theme (text, background, greys) set again when the theme changes."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from .. import style
from ..widgets.plot_title import FittedTitle


class HousePlot(FittedTitle, pg.PlotWidget):
    """A plot in the house style that follows the theme (light, dark, high contrast)."""

    def __init__(self, title: str, left: str, bottom: str) -> None:
        super().__init__()
        self._labels = (title, left, bottom)
        self._theme_hooks: list = []   # callables that re-colour items when the theme changes
        item = self.getPlotItem()
        font = QtGui.QFont()
        font.setPointSizeF(style.BASE_POINT_SIZE - 3)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)  # "loss (×0.001)" confuses more than it saves
            # An axis (with its grid) is the costliest item to draw, and it only changes with the
            # range: keep it as a pixmap, so a moving curve does not redraw every tick label.
            axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.showGrid(x=True, y=True, alpha=0.2)
        self.apply_theme()

    def apply_theme(self) -> None:
        title, left, bottom = self._labels
        item = self.getPlotItem()
        self.setBackground(style.color("background"))
        self._title_pt = None
        self._set_fitted_title()
        label_style = {"color": style.color("text"), "font-size": f"{style.BASE_POINT_SIZE - 1}pt"}
        item.setLabel("left", left, **label_style)
        item.setLabel("bottom", bottom, **label_style)
        for name in ("left", "bottom"):
            item.getAxis(name).setTextPen(style.color("text"))
            item.getAxis(name).setPen(style.color("text"))
        if item.legend is not None:
            _colour_legend(item.legend)
        for hook in self._theme_hooks:
            hook()

    def _title_style(self) -> tuple[str, float]:
        return style.color("text"), style.BASE_POINT_SIZE

    def on_theme(self, hook) -> None:
        """Run hook now and after every theme change (for items drawn in text or grey colours)."""
        self._theme_hooks.append(hook)
        hook()

    def legend(self, offset, size: float = style.BASE_POINT_SIZE - 2) -> pg.LegendItem:
        """A legend on a panel-coloured box whose text follows the theme."""
        legend = self.getPlotItem().addLegend(offset=offset, labelTextSize=f"{size}pt")
        _colour_legend(legend)
        return legend


def coloured(text: str, colour: str) -> str:
    """A word of a plot title in the colour of its curve (the title is the legend)."""
    return f"<span style='color:{style.color(colour)}'>{text}</span>"


def _colour_legend(legend: pg.LegendItem) -> None:
    background = pg.mkColor(style.color("panel"))
    background.setAlpha(230)
    legend.setBrush(pg.mkBrush(background))
    legend.setPen(pg.mkPen(style.color("muted"), width=1))
    legend.setLabelTextColor(style.color("text"))
    for _sample, label in legend.items:   # existing labels take the colour when drawn anew
        label.setText(label.text)


def new_plot(title: str, left: str, bottom: str, tooltip: str) -> pg.PlotWidget:
    plot = HousePlot(title, left, bottom)
    plot.setToolTip(tooltip)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    return plot


def pen(colour: str, width: float = 3, dashed: bool = False) -> QtGui.QPen:
    qpen = pg.mkPen(style.color(colour) if colour in style.COLORS else colour, width=width)
    if dashed:
        qpen.setStyle(pg.QtCore.Qt.PenStyle.DashLine)
    return qpen


def text_item(colour: str = "text", anchor=(0.5, 1.0), scale: float = 1.0) -> pg.TextItem:
    item = pg.TextItem(color=style.color(colour), anchor=anchor)
    font = QtGui.QFont()
    font.setPointSizeF(style.BASE_POINT_SIZE * scale)
    font.setBold(True)
    item.setFont(font)
    return item
