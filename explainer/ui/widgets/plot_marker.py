"""A single symbol at a data point of a pyqtgraph plot, moved with setPos.

pyqtgraph's scatter items rebuild their spot table and bounds on every setData (about 1 ms a
call); a dragged slider moves a marker on every step, so this item only changes its position and
is drawn at a fixed pixel size (it ignores the view's scaling, as pyqtgraph's own ArrowItem does).
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from ..style import color


def _symbol(kind: str, size: float) -> QtGui.QPainterPath:
    path, r = QtGui.QPainterPath(), size / 2
    if kind == "t":  # a triangle pointing down, as pyqtgraph's "t"
        path.addPolygon(QtGui.QPolygonF([QtCore.QPointF(-r, -r * 0.6), QtCore.QPointF(r, -r * 0.6),
                                         QtCore.QPointF(0, r * 0.9)]))
        path.closeSubpath()
    else:
        path.addEllipse(QtCore.QPointF(0, 0), r, r)
    return path


class PlotMarker(QtWidgets.QGraphicsPathItem):
    def __init__(self, symbol: str = "o", size: float = 16, fill: str = "agent",
                 outline: str = "#ffffff") -> None:
        super().__init__(_symbol(symbol, size))
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QtGui.QColor(color(fill)))
        self.setPen(QtGui.QPen(QtGui.QColor(outline), 1.5))
        self.setZValue(10)  # above the curves it marks
        self._point: tuple[float, float] | None = None
        self.hide()

    def set_point(self, x: float | None, y: float | None) -> None:
        """Show the symbol at (x, y); None or a non-finite value hides it."""
        point = None
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y):
            point = (float(x), float(y))
        if point == self._point:
            return
        self._point = point
        if point is None:
            self.hide()
            return
        self.setPos(*point)
        self.show()

    def getData(self) -> tuple[list[float], list[float]]:
        """Like a plot item's getData: the shown point, or empty lists."""
        return ([self._point[0]], [self._point[1]]) if self._point else ([], [])
