"""A small line plot painted with QPainter, for plots that follow a dragged slider.

pyqtgraph's scene cost ~2 ms per slider step for the two small plots of lesson 2 (item bounds,
the scene's dirty regions, every curve under a moved marker stroked again). Here a plot is three
layers: the axes (title, grid, ticks, labels: redrawn when the size, ranges or theme change), the
cached curves over them (redrawn when their data change), and the live items (a tangent, markers,
a note) drawn over that picture on every paint. A vector device (SVG export) gets every layer as
vectors; the layers of a 2× PNG export are drawn at 2×, so exported figures stay sharp.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme.style import COLORS, color
from .fitted_text import fitted_font
from .plot_axes import Axes, PlotFonts
from .plot_items import Curve, Marker, VLine
from .type_scale import FollowsTypeScale, floor_px, font_px


class PaintedPlot(FollowsTypeScale, QtWidgets.QWidget):
    def __init__(self, title: str, x_label: str, y_label: str = "") -> None:
        super().__init__()
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self._x, self._y = (0.0, 1.0), (0.0, 1.0)
        self._cached: list = []   # curves and lines in the cached layer, in drawing order
        self._live: list = []     # drawn over the picture on every paint
        self._note = ""
        self._axes: tuple[tuple, QtGui.QPixmap, Axes] | None = None
        self._picture: tuple[tuple, QtGui.QPixmap] | None = None
        self._version = 0         # bumped whenever a cached item changes
        self.fonts = PlotFonts()
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the layers cover it
        self.setMinimumHeight(140)   # three rows of ticks; a 720-px projector has no more
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, 480)  # what a pyqtgraph plot asks: a row of both shares evenly

    # --- items ----------------------------------------------------------------------------------
    def add_curve(self, pen: QtGui.QPen, live: bool = False) -> Curve:
        return self._add(Curve(self, pen, live), live)

    def add_marker(self, symbol: str, size: float, fill: str) -> Marker:
        return self._add(Marker(self, symbol, size, fill), True)

    def add_vline(self, value: float, pen: QtGui.QPen) -> VLine:
        return self._add(VLine(self, value, pen), False)

    def _add(self, item, live: bool):
        (self._live if live else self._cached).append(item)
        return item

    def changed(self, live: bool) -> None:
        """An item's data changed: the cached picture is redrawn only for a cached item."""
        if not live:
            self._version += 1
        self.update()

    def set_note(self, text: str) -> None:
        if text != self._note:
            self._note = text
            self.update()

    # --- ranges ---------------------------------------------------------------------------------
    def setXRange(self, low: float, high: float, padding: float = 0.0) -> None:
        self._set_range("_x", low, high, padding)

    def setYRange(self, low: float, high: float, padding: float = 0.0) -> None:
        self._set_range("_y", low, high, padding)

    def _set_range(self, name: str, low: float, high: float, padding: float) -> None:
        pad = (high - low) * padding
        shown = (float(low - pad), float(high + pad))
        if shown != getattr(self, name):
            setattr(self, name, shown)
            self.update()

    def viewRange(self) -> list[list[float]]:
        """[[x_min, x_max], [y_min, y_max]], as a pyqtgraph view box answers."""
        return [list(self._x), list(self._y)]

    def apply_theme(self) -> None:
        self.update()  # colours are read when a layer is drawn; the theme is in the layer keys

    # --- type size ------------------------------------------------------------------------------
    def _set_fonts(self) -> None:
        self.fonts = PlotFonts(self._zoom, floor_px(self, self.presenting))
        self.update()   # the fonts are in the layers' keys

    def smallest_text_px(self) -> float:
        """Of the title, axis labels (the y label as last drawn, fitted to the plot's side), note
        and ticks, the smallest, in device pixels."""
        fonts = [self.fonts.title, self.fonts.label, self.fonts.tick]
        if self._axes is not None and self._axes[2].y_label:
            fonts.append(self._axes[2].y_font)
        return min(font_px(f) for f in fonts) * self.devicePixelRatioF()

    # --- painting -------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QtGui.QPainter(self)
        device = p.paintEngine().paintDevice()
        vector = p.paintEngine().type() != QtGui.QPaintEngine.Type.Raster
        if vector:  # every layer as vectors
            axes = self._new_axes()
            axes.paint(p)
            self._paint_items(p, axes, self._cached)
        else:
            picture, axes = self._cached_picture(device.devicePixelRatioF())
            p.drawPixmap(0, 0, picture)
        self._paint_items(p, axes, self._live)
        if self._note:
            # narrow (tab 2 at 1024 px: "pears in the Derivative pha"), the note is set smaller,
            # to 70 % (presenting, never under the type scale), and then wraps
            area = axes.area
            p.setFont(self.note_font(area.width()))
            p.setPen(QtGui.QColor(color("text")))
            p.drawText(area, QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap,
                       self._note)
        p.end()

    def note_font(self, width: float) -> QtGui.QFont:
        return fitted_font(self.fonts.label, self._note, width - 8, 1.0 if self.presenting else 0.7)

    def note_area(self) -> QtCore.QRectF:
        return self._new_axes().area

    def _new_axes(self) -> Axes:
        return Axes(self.rect(), self._x, self._y, self.fonts,
                    (self.title, self.x_label, self.y_label))

    def _cached_picture(self, dpr: float) -> tuple[QtGui.QPixmap, Axes]:
        key = (self.width(), self.height(), dpr, self._x, self._y, self.fonts.key(),
               tuple(sorted(COLORS.items())), self.title)
        if self._axes is None or self._axes[0] != key:
            axes = self._new_axes()
            self._axes = (key, self._layer(dpr, axes.paint), axes)
        _, axes_layer, axes = self._axes
        picture_key = (key, self._version)
        if self._picture is None or self._picture[0] != picture_key:
            def paint(p: QtGui.QPainter) -> None:
                p.drawPixmap(0, 0, axes_layer)
                self._paint_items(p, axes, self._cached)
            self._picture = (picture_key, self._layer(dpr, paint))
        return self._picture[1], axes

    def _layer(self, dpr: float, paint) -> QtGui.QPixmap:
        pixmap = QtGui.QPixmap(max(1, math.ceil(self.width() * dpr)),
                               max(1, math.ceil(self.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QtGui.QColor(color("background")))
        p = QtGui.QPainter(pixmap)
        paint(p)
        p.end()
        return pixmap

    def _paint_items(self, p: QtGui.QPainter, axes: Axes, items) -> None:
        p.save()
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        for item in items:
            item.paint(p, axes)
        p.restore()
