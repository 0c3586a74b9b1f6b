"""A plot's title in the largest type, up to the preferred size, that fits the plot's width.

On a 1024-px projector a three-plot row leaves ~300 px a plot: "Reward of each response" at 15 pt
would be cut to "Reward of each respo". Titles may carry colour markup; only the text is measured.
"""
from __future__ import annotations

import html
import math
import re

from PySide6 import QtGui

from .fitted_text import fitted_font
from .plot_axes import title_lines

LEAST_SHARE = 0.6    # never below this share of the preferred size
MARGIN_PX = 16       # the title's padding inside the plot


def _width(text: str, point_size: float) -> float:
    """A plain title's width (a marked-up one is never split, so never measured here)."""
    font = QtGui.QFont()
    font.setPointSizeF(point_size)
    return QtGui.QFontMetricsF(font).horizontalAdvance(text)


def fitted_point_size(title: str, preferred: float, width: int, least: float = 0.0) -> float:
    """The preferred size, or a smaller one that fits the width, but never under `least` points
    (the presenting type scale's least size: there a long title needs a wider plot)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", title))
    font = QtGui.QFont()
    font.setPointSizeF(preferred)
    room = width - MARGIN_PX
    fitted = preferred if room <= 0 else fitted_font(font, text, room, LEAST_SHARE).pointSizeF()
    return max(fitted, least)


class FittedTitle:
    """Mixin for a pg.PlotWidget with `_labels[0]` as its title and `_title_style()` giving
    (colour, preferred point size): the title is set again, smaller, when the plot narrows, but
    not under `_title_least_pt()`."""

    _title_pt: float | None = None
    _title_text: str | None = None   # the title as set (two lines are joined by <br>)

    def _title_least_pt(self) -> float:
        return 0.0

    def _set_fitted_title(self) -> None:
        if self.getPlotItem() is None:   # closed: pyqtgraph has let its plot item go
            return
        colour, preferred = self._title_style()
        # the title is centred over the plot area, beside the left axis, not the whole widget
        axis = self.getPlotItem().getAxis("left")
        room = self.width() - (axis.width() if axis.isVisible() else 0)
        title = self._labels[0]
        size = round(fitted_point_size(title, preferred, room, self._title_least_pt()), 1)
        if "<" not in title and _width(title, size) > room - MARGIN_PX:
            # too long even at its least size: on two lines (a plain title; markup is not split).
            # On one, its label held the plot item wider than the widget, whose right edge was
            # cut (stage 1's "SFT loss: cross entropy of the demonstrations" at 1024 px).
            font = QtGui.QFont()
            font.setPointSizeF(size)
            lines = title_lines(title, QtGui.QFontMetricsF(font), room - MARGIN_PX)
            longest = max(lines, key=lambda line: _width(line, size))
            size = round(fitted_point_size(longest, preferred, room, self._title_least_pt()), 1)
            title = "<br>".join(html.escape(line, quote=False) for line in lines)
        if (size, title) != (self._title_pt, self._title_text):
            self._title_pt, self._title_text = size, title
            plot = self.getPlotItem()
            plot.setTitle(title, color=colour, size=f"{size}pt")
            # pyqtgraph fixes the title's row at 30 px: a second line (or presenting type) was cut
            height = max(30, math.ceil(plot.titleLabel.item.boundingRect().height()) + 2)
            plot.titleLabel.setMaximumHeight(height)
            plot.layout.setRowFixedHeight(0, height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event is not None and "_labels" in self.__dict__:   # pyqtgraph resizes while building
            self._set_fitted_title()
