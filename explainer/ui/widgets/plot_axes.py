"""The frame of a painted plot: its title, plot area, grid, ticks and axis labels, laid out for a
widget's size and drawn in the theme's colours. Ticks fall on 1, 2 or 5 × a power of ten."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui

from ..theme.style import color
from .fitted_text import fitted_font
from .type_scale import at_least

R = QtCore.QRectF
ALIGN = QtCore.Qt.AlignmentFlag
TICK = 5           # tick mark length, pixels
X_TICK_SPACING = 70   # at the least; larger text spaces its ticks in proportion (fewer ticks)
Y_TICK_SPACING = 28
PLOT_POINTS = (15, 14, 13)   # title, axis labels, tick labels at zoom 1
LABEL_LEAST_SHARE = 0.8      # how far the y label may shrink to fit along the plot's side


class PlotFonts:
    """Projector sizes, as the pyqtgraph plots beside these use (`PLOT_POINTS`), times the zoom,
    and none under `least_px` logical pixels (the presenting type scale's least size)."""

    def __init__(self, zoom: float = 1.0, least_px: float = 0.0) -> None:
        self.least_px = least_px
        self.title, self.label, self.tick = (self._font(pt * zoom, least_px) for pt in PLOT_POINTS)

    @staticmethod
    def _font(points: float, least_px: float) -> QtGui.QFont:
        font = QtGui.QFont()
        font.setPointSizeF(points)
        return at_least(font, least_px)

    def key(self) -> tuple:
        return tuple(f.key() for f in (self.title, self.label, self.tick))


def nice_ticks(low: float, high: float, most: int) -> tuple[list[float], int]:
    """The finest round ticks (1, 2 or 5 × a power of ten) in [low, high] of which there are at
    most `most` + 1, and the decimals their labels need."""
    span = high - low
    if not (math.isfinite(span) and span > 0):
        return [], 0
    magnitude = 10.0 ** math.floor(math.log10(span / (max(most, 1) + 1)))
    while True:
        for m in (1, 2, 5):
            step = m * magnitude
            first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
            if last - first + 1 <= max(most, 1) + 1:
                return [k * step for k in range(first, last + 1)], max(0, -math.floor(math.log10(step) + 1e-9))
        magnitude *= 10


def tick_label(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")   # never "−0.0"
    return text.replace("-", "−")


def title_lines(title: str, metrics: QtGui.QFontMetricsF, width: float) -> list[str]:
    """The title on one line if it fits, else split between words into the two most even lines:
    a narrow plot wraps its title instead of clipping it."""
    if metrics.horizontalAdvance(title) <= width:
        return [title]
    words = title.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    if not splits:
        return [title]
    return list(min(splits, key=lambda s: max(metrics.horizontalAdvance(t) for t in s)))


class Axes:
    """The layout for one size and one pair of ranges; `px`/`py` map data to widget pixels."""

    def __init__(self, rect: QtCore.QRect, x_range, y_range, fonts: PlotFonts, labels) -> None:
        self.rect, self.fonts = R(rect), fonts
        self.title, self.x_label, self.y_label = labels
        self.x_range, self.y_range = x_range, y_range
        title_m, label_m, tick_m = (QtGui.QFontMetricsF(f) for f in (fonts.title, fonts.label, fonts.tick))
        self.titles = title_lines(self.title, title_m, self.rect.width() - 12)
        self._title_h = title_m.height()
        self._label_h, self._tick_h = label_m.height(), tick_m.height()
        top = 4 + self._title_h * len(self.titles) + 6
        bottom = TICK + 2 + self._tick_h + (self._label_h if self.x_label else 0) + 4
        height = self.rect.height() - top - bottom
        y_spacing = max(Y_TICK_SPACING, 1.4 * self._tick_h)
        y_most = max(1, int(height / y_spacing))   # a short plot: its ends only, never stacked
        # Along a short plot's side the label shrinks a little to fit, else it is left out (the
        # title names the curve): "P(Norm's)" was cut to "Norm'" at 1280×720.
        self.y_font = at_least(fitted_font(fonts.label, self.y_label, height, LABEL_LEAST_SHARE),
                               fonts.least_px)
        if QtGui.QFontMetricsF(self.y_font).horizontalAdvance(self.y_label) > height:
            self.y_label = ""
        self.y_ticks, y_decimals = nice_ticks(*y_range, y_most)
        self.y_texts = [tick_label(v, y_decimals) for v in self.y_ticks]
        widest = max((tick_m.horizontalAdvance(t) for t in self.y_texts), default=0.0)
        left = 4 + (self._label_h + 2 if self.y_label else 0) + widest + TICK + 4
        right = 14
        self.area = R(left, top, max(10.0, self.rect.width() - left - right),
                      max(10.0, self.rect.height() - top - bottom))
        x_most = max(2, int(self.area.width() / max(X_TICK_SPACING, 3.5 * self._tick_h)))
        self.x_ticks, x_decimals = nice_ticks(*x_range, x_most)
        self.x_texts = [tick_label(v, x_decimals) for v in self.x_ticks]
        (x0, x1), (y0, y1) = x_range, y_range
        self._sx = self.area.width() / (x1 - x0) if x1 != x0 else 0.0
        self._sy = self.area.height() / (y1 - y0) if y1 != y0 else 0.0

    def px(self, x):
        return self.area.left() + (x - self.x_range[0]) * self._sx

    def py(self, y):
        return self.area.bottom() - (y - self.y_range[0]) * self._sy

    def paint(self, p: QtGui.QPainter) -> None:
        area, fonts = self.area, self.fonts
        p.fillRect(self.rect, QtGui.QColor(color("background")))
        text, muted = QtGui.QColor(color("text")), QtGui.QColor(color("muted"))
        grid = QtGui.QColor(muted)
        grid.setAlpha(64)
        xs = [self.px(v) for v in self.x_ticks]
        ys = [self.py(v) for v in self.y_ticks]
        p.setPen(QtGui.QPen(grid, 1))
        for x in xs:
            p.drawLine(QtCore.QPointF(x, area.top()), QtCore.QPointF(x, area.bottom()))
        for y in ys:
            p.drawLine(QtCore.QPointF(area.left(), y), QtCore.QPointF(area.right(), y))
        p.setPen(QtGui.QPen(muted, 1))
        p.drawLine(area.bottomLeft(), area.bottomRight())
        p.drawLine(area.bottomLeft(), area.topLeft())
        for x in xs:
            p.drawLine(QtCore.QPointF(x, area.bottom()), QtCore.QPointF(x, area.bottom() + TICK))
        for y in ys:
            p.drawLine(QtCore.QPointF(area.left() - TICK, y), QtCore.QPointF(area.left(), y))
        p.setPen(text)
        p.setFont(fonts.tick)
        below = area.bottom() + TICK + 2
        for x, label in zip(xs, self.x_texts):
            p.drawText(R(x - 40, below, 80, self._tick_h), ALIGN.AlignHCenter | ALIGN.AlignTop, label)
        for y, label in zip(ys, self.y_texts):
            p.drawText(R(0, y - self._tick_h / 2, area.left() - TICK - 3, self._tick_h),
                       ALIGN.AlignRight | ALIGN.AlignVCenter, label)
        p.setFont(fonts.label)
        if self.x_label:
            p.drawText(R(area.left(), below + self._tick_h, area.width(), self._label_h),
                       ALIGN.AlignCenter, self.x_label)
        if self.y_label:
            p.save()
            p.setFont(self.y_font)
            p.translate(4, area.center().y())
            p.rotate(-90)
            p.drawText(R(-area.height() / 2, 0, area.height(), self._label_h), ALIGN.AlignCenter,
                       self.y_label)
            p.restore()
        p.setFont(fonts.title)
        for i, line in enumerate(self.titles):
            p.drawText(R(0, 4 + i * self._title_h, self.rect.width(), self._title_h),
                       ALIGN.AlignCenter, line)
