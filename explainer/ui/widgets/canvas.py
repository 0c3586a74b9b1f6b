"""A picture drawn on a fixed logical canvas scaled to the widget, so its text grows with the
window and with the zoom (the app font; past TEXT_ZOOM_LIMIT the picture grows instead).
Subclasses set CANVAS, FONT_PX and LEAST and paint in `paint_canvas(painter)` with the helpers for
labelled text and dashed frames. While presenting, no text is drawn under the presenting type
scale's least size (`type_scale`)."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from ..theme.contrast import with_contrast
from ..theme.style import BASE_POINT_SIZE, COLORS, color
from .device_scale import device_scale
from .type_scale import SMALLEST_PX

R = QtCore.QRectF
LEFT_MIDDLE = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
FIT_SMALLEST = 0.7  # how far a label may shrink to fit its box before it wraps
# The canvas is laid out for text up to 1.3× the base size: at 1.5× "Learning rate = 1.00" fell off
# the picture and at 2× lesson 2's ∂P/∂X ran into ∂C/∂P. Past it, larger text makes the picture
# larger instead (its least size follows the zoom), so every label still grows and none overlaps.
TEXT_ZOOM_LIMIT = 1.3


def readable(name: str) -> QtGui.QColor:
    """A palette colour as text, with LEAST_TEXT_CONTRAST against the background (`contrast`)."""
    return with_contrast(mixed(name, 1.0), QtGui.QColor(color("background")))


def mixed(name: str, alpha: float) -> QtGui.QColor:
    """A palette colour (or #hex) with an alpha in [0, 1]."""
    c = QtGui.QColor(name if name.startswith("#") else color(name))
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


class CanvasView(QtWidgets.QWidget):
    CANVAS = (1000.0, 560.0)
    FONT_PX = 24  # logical pixels at the base point size
    LEAST = (460, 220)   # the least size at up to TEXT_ZOOM_LIMIT, in logical pixels

    def __init__(self) -> None:
        super().__init__()
        self.progress = 1.0  # the shown phase's animation, 0 → 1
        self.presenting = False
        self._font_px = float(self.FONT_PX)
        self._least_px = 6   # no text smaller, in canvas units (larger while presenting)
        self._static: tuple[tuple, QtGui.QPixmap] | None = None
        # The smallest text of each layer as last drawn, in device pixels (smallest_text_px).
        self._smallest = {"static": math.inf, "live": math.inf}
        self._layer_smallest = math.inf
        # The cached layer is opaque and covers the widget: Qt need not paint the parent's
        # background beneath it first, and the copy onto the screen is a plain copy, not a blend.
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding)

    def set_presenting(self, on: bool) -> None:
        if on != self.presenting:
            self.presenting = on
            self.update()

    def set_progress(self, t: float) -> None:
        if t != self.progress:  # a slider move sets 1.0 again: no repaint for it
            self.progress = t
            self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(*(int(v) for v in self.CANVAS))

    def minimumSizeHint(self) -> QtCore.QSize:
        grow = max(1.0, self._zoom() / TEXT_ZOOM_LIMIT)
        return QtCore.QSize(round(self.LEAST[0] * grow), round(self.LEAST[1] * grow))

    def _zoom(self) -> float:
        size = self.font().pointSizeF()
        return size / BASE_POINT_SIZE if size > 0 else 1.0

    def paintEvent(self, _event) -> None:
        self._font_px = self.FONT_PX * min(self._zoom(), TEXT_ZOOM_LIMIT)
        self._font_key = self.font().key()  # once a paint, not once a text
        self._least_px = self._least_text_px()
        p = QtGui.QPainter(self)
        dpr = device_scale(p)   # an export at scale 2 draws here at 2, whatever the screen has
        p.drawPixmap(0, 0, self._static_layer(dpr))
        self._transform(p)
        self._layer_smallest = math.inf
        self.paint_canvas(p)
        self._smallest["live"] = self._layer_smallest * self._canvas_scale() * dpr
        p.end()

    def smallest_text_px(self) -> float:
        """The height in device pixels of the smallest text the last paint drew (an export at
        scale 2 doubles it; the cached layer counts at the resolution it was drawn at)."""
        return min(self._smallest.values())

    def _least_text_px(self) -> int:
        """The smallest text size in canvas units: while presenting, what SMALLEST_PX device
        pixels on this widget's screen are at the canvas's scale (an export at scale 2 draws the
        same text, twice as sharp)."""
        if not self.presenting:
            return 6
        return math.ceil(SMALLEST_PX / (self._canvas_scale() * self.devicePixelRatioF()) - 1e-6)

    def _canvas_scale(self) -> float:
        w, h = self.CANVAS
        return min(self.width() / w, self.height() / h)

    def _transform(self, p: QtGui.QPainter) -> None:
        w, h = self.CANVAS
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        scale = self._canvas_scale()
        p.translate((self.width() - w * scale) / 2, (self.height() - h * scale) / 2)
        p.scale(scale, scale)

    def _static_layer(self, dpr: float) -> QtGui.QPixmap:
        """The large dashed frames cost ~0.6 ms each to draw: they are drawn once into a pixmap
        (at the pixel ratio of the device it is copied onto) and only again when the size, zoom,
        pixel ratio, theme or `static_key()` changes."""
        window = self.palette().color(QtGui.QPalette.ColorRole.Window)
        key = (self.width(), self.height(), dpr, self._font_px, tuple(sorted(COLORS.items())),
               window.rgba(), self.presenting, self.static_key())
        if self._static is None or self._static[0] != key:
            pixmap = QtGui.QPixmap(int(self.width() * dpr), int(self.height() * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(window)
            p = QtGui.QPainter(pixmap)
            self._transform(p)
            self._layer_smallest = math.inf
            self.paint_static(p)
            self._smallest["static"] = self._layer_smallest * self._canvas_scale() * dpr
            p.end()
            self._static = (key, pixmap)
        return self._static[1]

    def static_key(self) -> tuple:
        """What the static layer depends on besides size, zoom and theme."""
        return ()

    def paint_static(self, p: QtGui.QPainter) -> None:
        """The parts that do not change from record to record (frames, titles)."""

    def paint_canvas(self, p: QtGui.QPainter) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _text(self, p, rect: QtCore.QRectF, text: str, col: str = "text", scale: float = 1.0,
              bold: bool = False, align=QtCore.Qt.AlignmentFlag.AlignCenter) -> None:
        pixels, wrap = self._fitted(text, max(self._least_px, int(self._font_px * scale)), bold, rect)
        self._layer_smallest = min(self._layer_smallest, pixels)
        p.setFont(self._font_for(pixels, bold))
        p.setPen(readable(col))
        # Word wrapping lays the text out anew on every paint (~0.1 ms a call): only for text
        # that needs it.
        flags = int(align) | (int(QtCore.Qt.TextFlag.TextWordWrap) if wrap else 0)
        if self.presenting:   # at the least size a label may run past its box: shown whole
            flags |= int(QtCore.Qt.TextFlag.TextDontClip)
        p.drawText(rect, flags, text)

    def _fitted(self, text: str, pixels: int, bold: bool, rect: QtCore.QRectF) -> tuple[int, bool]:
        """(size, wrap): the largest size, down to FIT_SMALLEST of the one asked, at which the
        text fits its box on its own lines or, where the box is tall enough, word-wrapped. The
        boxes are laid out for the unzoomed text; zoomed in (as in presentation mode) or in a
        wider font, a label would otherwise spill over its box and its neighbours. Kept per
        text: a slider drag shows the same texts again and again."""
        key = (text, pixels, bold, int(rect.width()), int(rect.height()), self._least_px,
               getattr(self, "_font_key", None))
        cache = self.__dict__.setdefault("_fits", {})
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[key] = self._fit(text, pixels, bold, rect.width(), rect.height())
        return cache[key]

    def _fit(self, text: str, pixels: int, bold: bool, width: float, height: float) -> tuple[int, bool]:
        # Zoomed in, a label may shrink further, but never below 85 % of its unzoomed size, nor
        # (presenting) below the least size: there it wraps or overflows its box instead.
        zoom = max(1.0, self._font_px / self.FONT_PX)
        smallest = max(self._least_px, int(pixels * min(FIT_SMALLEST, 0.85 / zoom)))
        lines = text.split("\n")
        for size in range(pixels, smallest - 1, -1):
            metrics = QtGui.QFontMetricsF(self._font_for(size, bold))
            if max(metrics.horizontalAdvance(line) for line in lines) <= width:
                return size, False
            wrapped = self.wrapped_size(metrics, text, width)
            if wrapped.width() <= width and wrapped.height() <= height:
                return size, True
        # Presenting, text at the least size that fits neither way runs past its box sideways,
        # on its own lines: wrapped into a narrow box, its words ran out of the box's top.
        return smallest, not self.presenting

    @staticmethod
    def wrapped_size(metrics: QtGui.QFontMetricsF, text: str, width: float) -> QtCore.QSizeF:
        """The text's size word-wrapped at width (wider than width where a word is)."""
        flags = int(QtCore.Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(R(0, 0, width, 1e6), flags, text).size()

    def _font_for(self, pixels: int, bold: bool) -> QtGui.QFont:
        """Fonts are kept: building and resolving one per text costs more than drawing it."""
        key = (pixels, bold, getattr(self, "_font_key", None) or self.font().key())
        cache = self.__dict__.setdefault("_fonts", {})
        if key not in cache:
            font = QtGui.QFont(self.font())
            font.setPixelSize(pixels)
            font.setBold(bold)
            cache[key] = font
        return cache[key]

    def _frame(self, p, rect: QtCore.QRectF, title: str, col: str, fill_alpha: float = 0.06,
               bottom: bool = False) -> None:
        """A dashed, tinted frame with its title above it (or inside, at the bottom)."""
        p.setPen(QtGui.QPen(mixed(col, 1.0), 2.5, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(mixed(col, fill_alpha))
        p.drawRoundedRect(rect, 14, 14)
        y = rect.bottom() - 38 if bottom else rect.y() - 36
        self._text(p, R(rect.x() + 12, y, rect.width() - 20, 36), title, col, 1.0, True, LEFT_MIDDLE)
