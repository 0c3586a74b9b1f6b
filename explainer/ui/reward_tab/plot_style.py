"""pyqtgraph plots in the house style: white, large axis text, colours from the shared palette."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from .. import style


def new_plot(title: str, left: str, bottom: str, tooltip: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background=style.color("background"))
    plot.setToolTip(tooltip)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    item = plot.getPlotItem()
    item.setTitle(title, color=style.color("text"), size=f"{style.BASE_POINT_SIZE}pt")
    label_style = {"color": style.color("text"), "font-size": f"{style.BASE_POINT_SIZE - 1}pt"}
    item.setLabel("left", left, **label_style)
    item.setLabel("bottom", bottom, **label_style)
    font = QtGui.QFont()
    font.setPointSizeF(style.BASE_POINT_SIZE - 3)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(style.color("text"))
        axis.setPen(style.color("text"))
        axis.enableAutoSIPrefix(False)  # "loss (×0.001)" confuses more than it saves
        # An axis (with its grid) is the costliest item to draw, and it only changes with the range:
        # keep it as a pixmap, so repainting a moving curve does not redraw every tick label.
        axis.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    item.showGrid(x=True, y=True, alpha=0.2)
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
