"""What a painted plot shows in data coordinates: curves, fixed-size markers, vertical lines.
Each item keeps its data and tells the plot when it changed; the plot decides what to redraw."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph.functions as fn
from PySide6 import QtCore, QtGui

from ..theme.style import color


def _scaled(pen: QtGui.QPen) -> QtGui.QPen:
    """pyqtgraph's pens are cosmetic; here the width is in widget pixels, so a 2× export draws
    lines twice as wide, as it does text."""
    pen = QtGui.QPen(pen)
    pen.setCosmetic(False)
    return pen


class Curve:
    def __init__(self, plot, pen: QtGui.QPen, live: bool) -> None:
        self._plot, self.pen, self.live = plot, _scaled(pen), live
        self.x = self.y = np.zeros(0)

    def setData(self, x, y) -> None:
        """Redrawn only when the numbers changed: a drag moves a point, not every curve."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if np.array_equal(x, self.x) and np.array_equal(y, self.y):
            return
        self.x, self.y = x, y
        self._plot.changed(self.live)

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x, self.y

    def paint(self, p: QtGui.QPainter, axes) -> None:
        if len(self.x) < 2:
            return
        p.setClipRect(axes.area.toAlignedRect())  # whole pixels: a fractional clip is a slow path clip
        p.setPen(self.pen)
        p.drawPolyline(_polygon(axes.px(self.x), axes.py(self.y), axes.area.width() / 2))
        p.setClipping(False)


def _polygon(x: np.ndarray, y: np.ndarray, most: float) -> QtGui.QPolygonF:
    """The finite points, at most `most` of them, written straight into the polygon's memory:
    building 201 QPointF in Python, or pyqtgraph's arrayToQPath, cost more than stroking the
    line, and stroking costs by the segment: a point every 2 pixels draws the same smooth line
    at half the cost of 201 across a 270-pixel plot."""
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(x) > most >= 2:
        pick = np.unique(np.linspace(0, len(x) - 1, int(most)).round().astype(int))
        x, y = x[pick], y[pick]
    polygon = fn.create_qpolygonf(len(x))
    points = fn.ndarray_from_qpolygonf(polygon)
    points[:, 0], points[:, 1] = x, y
    return polygon


def symbol_path(kind: str, size: float) -> QtGui.QPainterPath:
    path, r = QtGui.QPainterPath(), size / 2
    if kind == "t":  # a triangle pointing down, as pyqtgraph's "t"
        path.addPolygon(QtGui.QPolygonF([QtCore.QPointF(-r, -r * 0.6), QtCore.QPointF(r, -r * 0.6),
                                         QtCore.QPointF(0, r * 0.9)]))
        path.closeSubpath()
    else:
        path.addEllipse(QtCore.QPointF(0, 0), r, r)
    return path


class Marker:
    """A symbol of a fixed pixel size at one data point, hidden while it has none."""

    def __init__(self, plot, symbol: str, size: float, fill: str, outline: str = "#ffffff") -> None:
        self._plot, self.live = plot, True
        self.path = symbol_path(symbol, size)
        self.brush = QtGui.QBrush(QtGui.QColor(color(fill)))
        self.pen = QtGui.QPen(QtGui.QColor(outline), 1.5)
        self._point: tuple[float, float] | None = None

    def set_point(self, x: float | None, y: float | None) -> None:
        """Show the symbol at (x, y); None or a non-finite value hides it."""
        point = None
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y):
            point = (float(x), float(y))
        if point != self._point:
            self._point = point
            self._plot.changed(True)

    def getData(self) -> tuple[list[float], list[float]]:
        """Like a plot item's getData: the shown point, or empty lists."""
        return ([self._point[0]], [self._point[1]]) if self._point else ([], [])

    def paint(self, p: QtGui.QPainter, axes) -> None:
        if self._point is None:
            return
        at = QtCore.QPointF(axes.px(self._point[0]), axes.py(self._point[1]))
        p.setPen(self.pen)
        p.setBrush(self.brush)
        p.drawPath(self.path.translated(at))


class VLine:
    """A vertical line across the plot area at x = value."""

    def __init__(self, plot, value: float, pen: QtGui.QPen) -> None:
        self._plot, self.pen, self.live = plot, _scaled(pen), False
        self._value = float(value)

    def setValue(self, value: float) -> None:
        if float(value) != self._value:
            self._value = float(value)
            self._plot.changed(False)

    def value(self) -> float:
        return self._value

    def paint(self, p: QtGui.QPainter, axes) -> None:
        x = axes.px(self._value)
        if axes.area.left() <= x <= axes.area.right():
            p.setPen(self.pen)
            p.drawLine(QtCore.QPointF(x, axes.area.top()), QtCore.QPointF(x, axes.area.bottom()))
